package dev.apogee.broker.processor;

import java.util.Map;
import java.util.TreeMap;

/**
 * Applies the {@code attributes} field of UPDATE_AND_CREATE_TOPIC to a topic's attributes, as
 * RocketMQ does: a comma list of {@code +key=value} (add or replace) and {@code -key} (remove an
 * existing key); a new topic takes only additions. Stored keys have no sign. Which keys and values
 * RocketMQ allows ({@code message.type}, {@code queue.type}, ...) is not checked. Stateless.
 */
final class TopicAttributes {
  private TopicAttributes() {}

  /**
   * The attributes after {@code change}; {@code current} null means the topic is new. A malformed
   * change is a {@link RequestException} with INVALID_PARAMETER.
   */
  static Map<String, String> alter(Map<String, String> current, String change) {
    Map<String, String> out = new TreeMap<>(current == null ? Map.of() : current);
    if (change == null || change.isEmpty()) {
      return out;
    }
    Map<String, Boolean> seen = new TreeMap<>();
    for (String item : change.split(",")) {
      String key;
      String value;
      int eq = item.indexOf('=');
      if (eq >= 0) {
        key = item.substring(0, eq);
        value = item.substring(eq + 1);
        if (!key.startsWith("+")) {
          throw bad("an attribute with a value must start with +: " + item);
        }
      } else {
        key = item;
        value = null;
        if (!key.startsWith("-")) {
          throw bad("an attribute without a value must start with -: " + item);
        }
        if (current == null) {
          throw bad("a new topic takes only + attributes: " + item);
        }
      }
      String name = key.substring(1);
      if (name.isEmpty()) {
        throw bad("an attribute has no name: " + item);
      }
      if (seen.put(name, Boolean.TRUE) != null) {
        throw bad("the attribute " + name + " is given twice");
      }
      if (value != null) {
        out.put(name, value);
      } else if (out.remove(name) == null) {
        throw bad("cannot remove the attribute " + name + ": the topic does not have it");
      }
    }
    return out;
  }

  private static RequestException bad(String remark) {
    return new RequestException(Headers.INVALID_PARAMETER, remark);
  }
}
