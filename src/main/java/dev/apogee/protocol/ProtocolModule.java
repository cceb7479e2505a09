package dev.apogee.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.MapType;
import java.io.IOException;
import java.util.Map;

/**
 * Jackson support for maps keyed by {@link MessageQueueKey}: written in fastjson's raw-object-key
 * form, read from a key that holds the queue as a JSON object (which is what {@link
 * FastjsonDialect} turns a raw object key into, and what Jackson's default writer produces).
 */
final class ProtocolModule extends SimpleModule {

  ProtocolModule() {
    super("apogee-protocol");
    addKeyDeserializer(MessageQueueKey.class, new MessageQueueKeyDeserializer());
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.addSerializers(new RawKeyMapSerializers());
  }

  /** Picks {@link RawObjectKeyMapSerializer} for every map whose declared key type is a queue. */
  private static final class RawKeyMapSerializers extends Serializers.Base {
    private static final RawObjectKeyMapSerializer RAW = new RawObjectKeyMapSerializer();

    @Override
    public JsonSerializer<?> findMapSerializer(
        SerializationConfig config,
        MapType type,
        BeanDescription beanDesc,
        JsonSerializer<Object> keySerializer,
        TypeSerializer elementTypeSerializer,
        JsonSerializer<Object> elementValueSerializer) {
      return type.getKeyType().hasRawClass(MessageQueueKey.class) ? RAW : null;
    }
  }

  /**
   * Writes the whole map as one raw value: Jackson's generator only writes quoted field names, and
   * 5.5 clients reject the quoted form of an object key (pitfall P2).
   */
  private static final class RawObjectKeyMapSerializer extends StdSerializer<Map<?, ?>> {

    RawObjectKeyMapSerializer() {
      super(Map.class, false);
    }

    @Override
    public void serialize(Map<?, ?> value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeRawValue(ProtocolJson.rawObjectKeyMap(value));
    }
  }

  private static final class MessageQueueKeyDeserializer extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
      try {
        return ProtocolJson.read(key, MessageQueueKey.class);
      } catch (BodyFormatException e) {
        JsonMappingException failure =
            ctxt.weirdKeyException(
                MessageQueueKey.class, key, "not a message queue object: " + e.getMessage());
        failure.initCause(e);
        throw failure;
      }
    }
  }
}
