package dev.apogee.gateway;

import dev.apogee.client.Message;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Messages from HTTP requests: a JSON envelope ({@code body} or {@code bodyBase64}, {@code tags},
 * {@code keys}, {@code properties}, {@code delayLevel}, {@code deliverAt} or {@code delayMs}), or a
 * raw body with the same settings as query parameters. Invalid input throws {@link HttpError} 400,
 * a body over the limit 413.
 */
final class Envelopes {
  private static final Set<String> FIELDS =
      Set.of(
          "body", "bodyBase64", "tags", "keys", "properties", "delayLevel", "deliverAt", "delayMs");

  /** Property names the brokers and clients give a meaning; an envelope may not set them. */
  static final Set<String> RESERVED_PROPERTIES =
      Set.of(
          "KEYS",
          "TAGS",
          "WAIT",
          "DELAY",
          "RETRY_TOPIC",
          "REAL_TOPIC",
          "REAL_QID",
          "TRAN_MSG",
          "PGROUP",
          "MIN_OFFSET",
          "MAX_OFFSET",
          "BUYER_ID",
          "ORIGIN_MESSAGE_ID",
          "TRANSFER_FLAG",
          "CORRECTION_FLAG",
          "MQ2_FLAG",
          "RECONSUME_TIME",
          "MSG_REGION",
          "TRACE_ON",
          "UNIQ_KEY",
          "MAX_RECONSUME_TIMES",
          "CONSUME_START_TIME",
          "TRAN_PREPARED_QUEUE_OFFSET",
          "CLUSTER",
          "TIMER_DELIVER_MS",
          "TIMER_DELAY_SEC",
          "TIMER_DELAY_MS",
          "CHECK_IMMUNITY_TIME_IN_SECONDS");

  private Envelopes() {}

  /** The message an envelope describes. */
  static Message parse(String topic, JsonObject env, int maxBodyBytes) {
    for (String field : env.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new HttpError(
            400, "unknown field '" + field + "'; an envelope has " + String.join(", ", FIELDS));
      }
    }
    String text = string(env, "body");
    String base64 = string(env, "bodyBase64");
    if ((text == null) == (base64 == null)) {
      throw new HttpError(400, "an envelope has exactly one of body (text) and bodyBase64");
    }
    byte[] body;
    if (text != null) {
      body = text.getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        body = Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "bodyBase64 is not base64: " + e.getMessage());
      }
    }
    Message m = message(topic, body, maxBodyBytes);
    String tags = string(env, "tags");
    Object keys = env.getValue("keys");
    Object props = env.getValue("properties");
    // Message refuses the separators of the wire format (and spaces in keys) itself.
    try {
      if (tags != null) {
        m.setTags(tags);
      }
      if (keys instanceof String s) {
        m.setKeys(splitKeys(s));
      } else if (keys instanceof JsonArray a) {
        List<String> list = new ArrayList<>();
        for (Object k : a) {
          if (!(k instanceof String s) || s.isBlank()) {
            throw new HttpError(400, "keys holds non-empty strings only");
          }
          list.add(s);
        }
        m.setKeys(list);
      } else if (keys != null) {
        throw new HttpError(400, "keys is a string or an array of strings");
      }
      if (props instanceof JsonObject p) {
        for (Map.Entry<String, Object> e : p) {
          if (!(e.getValue() instanceof String v)) {
            throw new HttpError(400, "property '" + e.getKey() + "' is not a string");
          }
          putProperty(m, e.getKey(), v);
        }
      } else if (props != null) {
        throw new HttpError(400, "properties is an object of strings");
      }
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    delays(m, integer(env, "delayLevel"), integer(env, "deliverAt"), integer(env, "delayMs"));
    return m;
  }

  /** A raw body, settings from {@code tags}, {@code keys} (comma-separated), and the delays. */
  static Message raw(String topic, Buffer body, MultiMap query, int maxBodyBytes) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    Message m = message(topic, bytes, maxBodyBytes);
    String tags = query.get("tags");
    String keys = query.get("keys");
    try {
      if (tags != null && !tags.isEmpty()) {
        m.setTags(tags);
      }
      if (keys != null && !keys.isBlank()) {
        m.setKeys(splitKeys(keys));
      }
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    delays(
        m,
        queryLong(query, "delayLevel"),
        queryLong(query, "deliverAt"),
        queryLong(query, "delayMs"));
    return m;
  }

  /** The string field {@code name}, null when absent; 400 when it is not a string. */
  static String string(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new HttpError(400, name + " is not a string");
  }

  /** The integer field {@code name}, null when absent; 400 when it is not an integer. */
  static Long integer(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw new HttpError(400, name + " is not an integer");
  }

  private static Message message(String topic, byte[] body, int maxBodyBytes) {
    if (body.length == 0) {
      throw new HttpError(400, "the message body is empty");
    }
    if (body.length > maxBodyBytes) {
      throw new HttpError(
          413, "the message body is " + body.length + " bytes; at most " + maxBodyBytes);
    }
    return new Message(topic, body);
  }

  private static void delays(Message m, Long level, Long deliverAt, Long delayMs) {
    int given = (level != null ? 1 : 0) + (deliverAt != null ? 1 : 0) + (delayMs != null ? 1 : 0);
    if (given > 1) {
      throw new HttpError(400, "give at most one of delayLevel, deliverAt and delayMs");
    }
    if (level != null) {
      if (level < 0 || level > Integer.MAX_VALUE) {
        throw new HttpError(400, "delayLevel must be 0 or more, was " + level);
      }
      if (level > 0) {
        m.setDelayLevel(level.intValue());
      }
    } else if (deliverAt != null) {
      if (deliverAt <= 0) {
        throw new HttpError(400, "deliverAt is a time in epoch milliseconds, was " + deliverAt);
      }
      m.setDeliverTime(deliverAt);
    } else if (delayMs != null) {
      if (delayMs < 0) {
        throw new HttpError(400, "delayMs must be 0 or more, was " + delayMs);
      }
      if (delayMs > 0) {
        m.setDeliverTime(System.currentTimeMillis() + delayMs);
      }
    }
  }

  private static Long queryLong(MultiMap query, String name) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " is not an integer: '" + v + "'");
    }
  }

  private static void putProperty(Message m, String name, String value) {
    if (RESERVED_PROPERTIES.contains(name)) {
      throw new HttpError(400, "property '" + name + "' is reserved; set it through its field");
    }
    m.putProperty(name, value);
  }

  private static List<String> splitKeys(String s) {
    List<String> out = new ArrayList<>();
    for (String k : s.split(",")) {
      if (!k.isBlank()) {
        out.add(k.trim());
      }
    }
    return out;
  }
}
