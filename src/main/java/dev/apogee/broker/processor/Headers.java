package dev.apogee.broker.processor;

import java.util.Map;

/**
 * Reads typed fields from a request's {@code extFields} (every value is a string on the wire),
 * naming the field in the error when one is missing or malformed. Stateless.
 */
final class Headers {
  /** RocketMQ's INVALID_PARAMETER. */
  static final int INVALID_PARAMETER = 29;

  private Headers() {}

  static String string(Map<String, String> ext, String key) {
    String v = ext.get(key);
    if (v == null) {
      throw new RequestException(INVALID_PARAMETER, "the request lacks the field " + key);
    }
    return v;
  }

  static String optional(Map<String, String> ext, String key) {
    return ext.get(key);
  }

  static int integer(Map<String, String> ext, String key) {
    String v = string(ext, key);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new RequestException(
          INVALID_PARAMETER, "the field " + key + " is not an integer: " + v);
    }
  }

  static int integer(Map<String, String> ext, String key, int def) {
    return ext.containsKey(key) ? integer(ext, key) : def;
  }

  static long longValue(Map<String, String> ext, String key) {
    String v = string(ext, key);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new RequestException(
          INVALID_PARAMETER, "the field " + key + " is not an integer: " + v);
    }
  }

  static long longValue(Map<String, String> ext, String key, long def) {
    return ext.containsKey(key) ? longValue(ext, key) : def;
  }

  static boolean bool(Map<String, String> ext, String key, boolean def) {
    String v = ext.get(key);
    return v == null ? def : Boolean.parseBoolean(v.trim());
  }
}
