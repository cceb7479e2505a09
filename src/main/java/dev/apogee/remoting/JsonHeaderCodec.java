package dev.apogee.remoting;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON command header (protocol 1.3), read and written with Jackson's streaming API.
 *
 * <p>Reading accepts any key order, ignores unknown keys (such as {@code serializeTypeCurrentRPC}),
 * treats a missing {@code remark} as null and a missing {@code extFields} as empty, and turns every
 * ext value into a string (numbers and booleans by their text, nested JSON by its compact form).
 * Writing produces the keys RocketMQ's Java side writes, in its (alphabetical) order; {@code
 * extFields} only when not empty and {@code remark} only when not null, as it does.
 *
 * <p>Stateless; safe from any thread.
 */
final class JsonHeaderCodec {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonHeaderCodec() {}

  static void encode(RemotingCommand cmd, ByteBuf out) {
    // ByteBufOutputStream is also a DataOutput: name the overload meant.
    OutputStream stream = new ByteBufOutputStream(out);
    try (JsonGenerator g = JSON.createGenerator(stream, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("code", cmd.code());
      if (!cmd.extFields().isEmpty()) {
        g.writeObjectFieldStart("extFields");
        for (Map.Entry<String, String> e : cmd.extFields().entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            g.writeStringField(e.getKey(), e.getValue());
          }
        }
        g.writeEndObject();
      }
      g.writeNumberField("flag", cmd.flag());
      g.writeStringField("language", cmd.language().name());
      g.writeNumberField("opaque", cmd.opaque());
      if (cmd.remark() != null) {
        g.writeStringField("remark", cmd.remark());
      }
      g.writeStringField("serializeTypeCurrentRPC", SerializeType.JSON.name());
      g.writeNumberField("version", cmd.version());
      g.writeEndObject();
    } catch (IOException e) {
      // The target is memory: only a bug gets here.
      throw new UncheckedIOException("cannot write a JSON header", e);
    }
  }

  static RemotingCommand decode(ByteBuf header) throws FrameException {
    byte[] array;
    int offset;
    int length = header.readableBytes();
    if (header.hasArray()) {
      array = header.array();
      offset = header.arrayOffset() + header.readerIndex();
    } else {
      array = ByteBufUtil.getBytes(header);
      offset = 0;
    }
    try (JsonParser p = JSON.createParser(array, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new FrameException("JSON header is not an object");
      }
      RemotingCommand cmd = readFields(p);
      if (p.nextToken() != null) {
        throw new FrameException("JSON header has data after its object");
      }
      cmd.setSerializeType(SerializeType.JSON);
      return cmd;
    } catch (JsonProcessingException e) {
      // The original message leaves out Jackson's source excerpt: one short log line.
      throw new FrameException("unreadable JSON header: " + oneLine(e.getOriginalMessage()), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new FrameException("unreadable JSON header: " + oneLine(e.getMessage()), e);
    }
  }

  private static RemotingCommand readFields(JsonParser p) throws IOException, FrameException {
    RemotingCommand cmd = new RemotingCommand(0, new LinkedHashMap<>());
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "code" -> cmd.setCode(readInt(p, value, name));
        case "language" ->
            cmd.setLanguage(
                value == JsonToken.VALUE_NULL
                    ? LanguageCode.JAVA
                    : LanguageCode.fromName(p.getValueAsString()));
        case "version" -> cmd.setVersion(readInt(p, value, name));
        case "opaque" -> cmd.setOpaque(readInt(p, value, name));
        case "flag" -> cmd.setFlag(readInt(p, value, name));
        case "remark" -> cmd.setRemark(value == JsonToken.VALUE_NULL ? null : text(p, value));
        case "extFields" -> readExtFields(p, value, cmd.extFields());
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new FrameException("JSON header object is not closed");
    }
    return cmd;
  }

  private static int readInt(JsonParser p, JsonToken value, String name)
      throws IOException, FrameException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return p.getIntValue();
    }
    if (value == JsonToken.VALUE_STRING) {
      try {
        return Integer.parseInt(p.getText().trim());
      } catch (NumberFormatException e) {
        throw new FrameException("JSON header field '" + name + "' is not an int", e);
      }
    }
    throw new FrameException("JSON header field '" + name + "' is " + value + ", not an int");
  }

  private static void readExtFields(JsonParser p, JsonToken value, Map<String, String> into)
      throws IOException, FrameException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      throw new FrameException("JSON header field 'extFields' is " + value + ", not an object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (v != JsonToken.VALUE_NULL) {
        into.put(key, text(p, v));
      }
    }
  }

  /** A value as the string a Java peer would see: scalars by their text, structures as JSON. */
  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      StringWriter w = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(w)) {
        g.copyCurrentStructure(p);
      }
      return w.toString();
    }
    return p.getText();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ");
  }
}
