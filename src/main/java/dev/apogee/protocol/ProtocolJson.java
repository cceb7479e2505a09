package dev.apogee.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads and writes the JSON bodies of the remoting protocol (rocketmq-protocol.md 1.10) with one
 * configured Jackson mapper. Thread-safe: the mapper is configured once and only used afterwards.
 *
 * <p>Writing: standard JSON with quoted keys, which every 5.x client accepts (a brokerId key is
 * written {@code "0"}); properties sorted by name and {@code null} fields left out, as fastjson
 * does; and every map keyed by {@link MessageQueueKey} in fastjson's raw-object-key form, {@code
 * {{"brokerName":"b","queueId":0,"topic":"T"}:value}}, which 5.5 clients require (pitfall P2).
 *
 * <p>Reading: {@link #read} takes standard JSON and ignores properties it does not know. {@link
 * #readTolerant} also takes the fastjson dialect that official servers and clients may write:
 * unquoted numeric keys ({@code {0:"addr"}}) and raw object keys. Both throw {@link
 * BodyFormatException} for a body they cannot read.
 */
public final class ProtocolJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
          .addModule(new ProtocolModule())
          .build();

  private ProtocolJson() {}

  /** {@code body} as UTF-8 JSON. */
  public static byte[] write(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + typeName(body) + " as JSON", e);
    }
  }

  /** {@code body} as JSON text. */
  public static String writeString(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + typeName(body) + " as JSON", e);
    }
  }

  /**
   * A map in fastjson's raw-object-key form: each key written as its own JSON (an object for a
   * {@link MessageQueueKey}), unquoted, then a colon and the value's JSON. For a map at the top of
   * a body; a map inside a record is written this way already when its key type is a queue.
   */
  public static String rawObjectKeyMap(Map<?, ?> map) {
    StringBuilder out = new StringBuilder().append('{');
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (entry.getKey() == null) {
        throw new IllegalArgumentException("a raw-object-key map cannot hold a null key");
      }
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(writeString(entry.getKey())).append(':').append(writeString(entry.getValue()));
    }
    return out.append('}').toString();
  }

  /** Reads standard JSON {@code body} as a {@code type}. */
  public static <T> T read(byte[] body, Class<T> type) {
    if (body == null) {
      throw new BodyFormatException("missing " + type.getSimpleName() + " body");
    }
    return read(new String(body, StandardCharsets.UTF_8), type);
  }

  /** Reads standard JSON {@code body} as a {@code type}. */
  public static <T> T read(String body, Class<T> type) {
    if (body == null) {
      throw new BodyFormatException("missing " + type.getSimpleName() + " body");
    }
    T value;
    try {
      value = MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw new BodyFormatException(
          "cannot read " + type.getSimpleName() + " body: " + e.getMessage(), e);
    }
    if (value == null) {
      throw new BodyFormatException(type.getSimpleName() + " body is null");
    }
    return value;
  }

  /** Reads {@code body}, standard JSON or fastjson's dialect, as a {@code type}. */
  public static <T> T readTolerant(byte[] body, Class<T> type) {
    if (body == null) {
      throw new BodyFormatException("missing " + type.getSimpleName() + " body");
    }
    return readTolerant(new String(body, StandardCharsets.UTF_8), type);
  }

  /** Reads {@code body}, standard JSON or fastjson's dialect, as a {@code type}. */
  public static <T> T readTolerant(String body, Class<T> type) {
    if (body == null) {
      throw new BodyFormatException("missing " + type.getSimpleName() + " body");
    }
    return read(FastjsonDialect.toStandardJson(body), type);
  }

  /** Reads standard JSON {@code body} as a tree. */
  public static JsonNode readTree(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BodyFormatException("cannot read JSON body: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code body}, standard JSON or fastjson's dialect, as a tree; a raw object key becomes
   * the string of its standard JSON.
   */
  public static JsonNode readTreeTolerant(String body) {
    return readTree(FastjsonDialect.toStandardJson(body));
  }

  private static String typeName(Object body) {
    return body == null ? "null" : body.getClass().getSimpleName();
  }
}
