package dev.apogee.client;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message to send: topic, body, and the properties that travel with it (tags, keys, delay, user
 * properties). Setters return this message so calls chain.
 *
 * <p>Not thread-safe. A producer reads the message when {@code send} is called and keeps nothing of
 * it, so the caller may reuse or change it once {@code send} has returned.
 */
public final class Message {
  /** Property with the message's tag, which consumers filter on. */
  public static final String PROPERTY_TAGS = "TAGS";

  /** Property with the message's keys, separated by a space; the broker indexes each. */
  public static final String PROPERTY_KEYS = "KEYS";

  /** Property with the delay level (1 s, 5 s, 10 s, 30 s, 1 m, ... 2 h for levels 1 to 18). */
  public static final String PROPERTY_DELAY = "DELAY";

  /** Property with the time (epoch ms) at which the message is to be delivered. */
  public static final String PROPERTY_DELIVER_TIME = "TIMER_DELIVER_MS";

  /** Property with the message's unique id, set by the producer. */
  public static final String PROPERTY_UNIQ_KEY = "UNIQ_KEY";

  /** Property asking the broker to answer only once the message is stored durably. */
  public static final String PROPERTY_WAIT = "WAIT";

  private final String topic;
  private final byte[] body;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private int flag;

  /** A message of {@code topic} with {@code body} (not copied: do not change it before sending). */
  public Message(String topic, byte[] body) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.body = Objects.requireNonNull(body, "body");
  }

  /** A message of {@code topic} with the bytes of {@code body}. */
  public Message(String topic, Buffer body) {
    this(topic, Objects.requireNonNull(body, "body").getBytes());
  }

  /** A message of {@code topic} with {@code body} as UTF-8. */
  public Message(String topic, String body) {
    this(topic, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
  }

  /** A copy with the same topic, body (shared, not copied), flag and properties. */
  public Message copy() {
    Message m = new Message(topic, body);
    m.flag = flag;
    m.properties.putAll(properties);
    return m;
  }

  public String topic() {
    return topic;
  }

  /** The body, not a copy. */
  public byte[] body() {
    return body;
  }

  /** The user flag, stored with the message and returned to consumers. */
  public int flag() {
    return flag;
  }

  public Message setFlag(int flag) {
    this.flag = flag;
    return this;
  }

  /** The tag, or null. */
  public String tags() {
    return properties.get(PROPERTY_TAGS);
  }

  /** Sets the tag consumers filter on ({@code "TagA"}); null or empty removes it. */
  public Message setTags(String tags) {
    return putProperty(PROPERTY_TAGS, tags == null || tags.isEmpty() ? null : tags);
  }

  /** The keys, in order; empty when there are none. */
  public List<String> keys() {
    String keys = properties.get(PROPERTY_KEYS);
    return keys == null ? List.of() : List.of(keys.split(" "));
  }

  /** Sets the keys the broker indexes the message by; each must be non-empty without spaces. */
  public Message setKeys(String... keys) {
    return setKeys(Arrays.asList(keys));
  }

  /** Sets the keys the broker indexes the message by; each must be non-empty without spaces. */
  public Message setKeys(Collection<String> keys) {
    for (String k : keys) {
      if (k == null || k.isEmpty() || k.indexOf(' ') >= 0) {
        throw new IllegalArgumentException("key '" + k + "' must be non-empty without spaces");
      }
    }
    return putProperty(PROPERTY_KEYS, keys.isEmpty() ? null : String.join(" ", keys));
  }

  /**
   * Delays delivery by one of the broker's delay levels (1 to 18 by default: 1 s, 5 s, 10 s, 30 s,
   * 1 m ... 2 h); 0 removes the delay.
   */
  public Message setDelayLevel(int level) {
    if (level < 0) {
      throw new IllegalArgumentException("delay level " + level + " is negative");
    }
    return putOrRemove(PROPERTY_DELAY, level == 0 ? null : Integer.toString(level));
  }

  /** The delay level, 0 when there is none. */
  public int delayLevel() {
    String level = properties.get(PROPERTY_DELAY);
    return level == null ? 0 : Integer.parseInt(level);
  }

  /**
   * Asks the broker to deliver the message at {@code epochMillis} (RocketMQ 5's timer); 0 removes
   * the time.
   */
  public Message setDeliverTime(long epochMillis) {
    if (epochMillis < 0) {
      throw new IllegalArgumentException("deliver time " + epochMillis + " is negative");
    }
    return putOrRemove(PROPERTY_DELIVER_TIME, epochMillis == 0 ? null : Long.toString(epochMillis));
  }

  /** The requested delivery time in epoch ms, 0 when there is none. */
  public long deliverTime() {
    String at = properties.get(PROPERTY_DELIVER_TIME);
    return at == null ? 0 : Long.parseLong(at);
  }

  /**
   * Sets a property; a null value removes it. Names and values must not contain the characters
   * U+0001 and U+0002, which separate properties on the wire.
   */
  public Message putProperty(String name, String value) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || hasSeparator(name) || (value != null && hasSeparator(value))) {
      throw new IllegalArgumentException(
          "property '" + name + "' must be non-empty, its name and value without U+0001/U+0002");
    }
    return putOrRemove(name, value);
  }

  /** The property's value, or null. */
  public String property(String name) {
    return properties.get(name);
  }

  /** Every property, in the order set; unmodifiable view. */
  public Map<String, String> properties() {
    return Collections.unmodifiableMap(properties);
  }

  private Message putOrRemove(String name, String value) {
    if (value == null) {
      properties.remove(name);
    } else {
      properties.put(name, value);
    }
    return this;
  }

  private static boolean hasSeparator(String s) {
    return s.indexOf('\u0001') >= 0 || s.indexOf('\u0002') >= 0;
  }

  @Override
  public String toString() {
    return "Message[topic="
        + topic
        + ", flag="
        + flag
        + ", properties="
        + properties
        + ", body="
        + body.length
        + " bytes]";
  }
}
