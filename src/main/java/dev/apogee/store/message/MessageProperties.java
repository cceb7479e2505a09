package dev.apogee.store.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * RocketMQ's message properties string (protocol doc 3.1) and its well-known keys (3.5).
 *
 * <p>A map travels as {@code name 0x01 value 0x02} per entry. Decoding follows RocketMQ's tolerance
 * exactly, so that the broker, the dispatcher and the official client agree on what a stored record
 * says: the string is split on 0x02; a segment is an entry only if its first 0x01 is neither its
 * first nor its last character (so both name and value are non-empty); everything after that first
 * 0x01 is the value (it may contain further 0x01); a later entry with the same name wins. Anything
 * else is ignored, never an error.
 *
 * <p>Stateless and thread-safe.
 */
public final class MessageProperties {
  /** Separates a name from its value (0x01). */
  public static final char NAME_VALUE_SEPARATOR = '\u0001';

  /** Ends each entry (0x02). */
  public static final char PROPERTY_SEPARATOR = '\u0002';

  /** Space-separated business keys; each is indexed. */
  public static final String KEYS = "KEYS";

  /** The message tag; its {@link #tagsCode hash} goes into the consume queue. */
  public static final String TAGS = "TAGS";

  /** {@code "true"}/{@code "false"}: reply only after the store flushed (default true). */
  public static final String WAIT = "WAIT";

  /** Delay level 1..18; {@code -1} on the retry path means dead-letter. */
  public static final String DELAY = "DELAY";

  /** Client-generated unique id (3.8), also the transaction id of a half message. */
  public static final String UNIQ_KEY = "UNIQ_KEY";

  /** {@code "true"} on transactional half messages. */
  public static final String TRAN_MSG = "TRAN_MSG";

  /** Producer group, used to find a producer channel for transaction checks. */
  public static final String PGROUP = "PGROUP";

  /** Original topic of a delayed or half message. */
  public static final String REAL_TOPIC = "REAL_TOPIC";

  /** Original queue id of a delayed or half message. */
  public static final String REAL_QID = "REAL_QID";

  /** Original topic of a retried message. */
  public static final String RETRY_TOPIC = "RETRY_TOPIC";

  /** Offset message id of the first failed delivery. */
  public static final String ORIGIN_MESSAGE_ID = "ORIGIN_MESSAGE_ID";

  /** Retry counter of the client's send-back fallback. */
  public static final String RECONSUME_TIME = "RECONSUME_TIME";

  /** Maximum retries of the client's send-back fallback. */
  public static final String MAX_RECONSUME_TIMES = "MAX_RECONSUME_TIMES";

  /** Added by the client after a pull; never stored. */
  public static final String MIN_OFFSET = "MIN_OFFSET";

  /** Added by the client after a pull; never stored. */
  public static final String MAX_OFFSET = "MAX_OFFSET";

  /** Broker cluster name, added by the broker on store. */
  public static final String CLUSTER = "CLUSTER";

  /** Transaction id on half messages (equal to {@link #UNIQ_KEY}). */
  public static final String TRANSACTION_ID = "__transactionId__";

  /** Half-message check counter. */
  public static final String TRANSACTION_CHECK_TIMES = "TRANSACTION_CHECK_TIMES";

  /** Per-message delay before the first transaction check. */
  public static final String CHECK_IMMUNITY_TIME_IN_SECONDS = "CHECK_IMMUNITY_TIME_IN_SECONDS";

  /** Queue offset of a half message, used by the op/check logic. */
  public static final String TRAN_PREPARED_QUEUE_OFFSET = "TRAN_PREPARED_QUEUE_OFFSET";

  /** Region, also returned as a SEND response ext field. */
  public static final String MSG_REGION = "MSG_REGION";

  /** Trace switch, also returned as a SEND response ext field. */
  public static final String TRACE_ON = "TRACE_ON";

  /** Namespace. */
  public static final String INSTANCE_ID = "INSTANCE_ID";

  /** Request-reply: correlation id. */
  public static final String CORRELATION_ID = "CORRELATION_ID";

  /** Request-reply: client to answer. */
  public static final String REPLY_TO_CLIENT = "REPLY_TO_CLIENT";

  /** Request-reply: time to live. */
  public static final String TTL = "TTL";

  /** Request-reply: arrival time. */
  public static final String ARRIVE_TIME = "ARRIVE_TIME";

  /** Request-reply: message type. */
  public static final String MSG_TYPE = "MSG_TYPE";

  /** Arbitrary-time delay: absolute delivery time in epoch ms. */
  public static final String TIMER_DELIVER_MS = "TIMER_DELIVER_MS";

  /** Arbitrary-time delay: delay in seconds. */
  public static final String TIMER_DELAY_SEC = "TIMER_DELAY_SEC";

  /** Arbitrary-time delay: delay in ms. */
  public static final String TIMER_DELAY_MS = "TIMER_DELAY_MS";

  /** POP / HA duplicate info. */
  public static final String DUP_INFO = "DUP_INFO";

  /** Properties with this prefix are never stored. */
  public static final String TRANSIENT_PREFIX = "__RMQ.TRANSIENT.";

  private MessageProperties() {}

  /**
   * Encodes {@code properties} in iteration order; entries with a null value are skipped and a null
   * or empty map gives {@code ""}. An empty value is written, as RocketMQ does, but does not
   * survive {@link #decode}.
   *
   * @throws IllegalArgumentException if a name is null or empty or contains a separator, or a value
   *     contains 0x02: such an entry would decode differently
   */
  public static String encode(Map<String, String> properties) {
    if (properties == null || properties.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(properties.size() * 24);
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String value = e.getValue();
      if (value == null) {
        continue;
      }
      String name = e.getKey();
      checkName(name);
      if (value.indexOf(PROPERTY_SEPARATOR) >= 0) {
        throw new IllegalArgumentException(
            "value of property \"" + name + "\" contains the separator \\u0002");
      }
      sb.append(name).append(NAME_VALUE_SEPARATOR).append(value).append(PROPERTY_SEPARATOR);
    }
    return sb.toString();
  }

  /**
   * Decodes a properties string with RocketMQ's tolerance (see the class comment). Returns a new,
   * mutable map in the order the entries appear; a null or empty string gives an empty map.
   */
  public static Map<String, String> decode(String properties) {
    Map<String, String> map = new LinkedHashMap<>();
    if (properties == null) {
      return map;
    }
    int len = properties.length();
    int index = 0;
    while (index < len) {
      int end = properties.indexOf(PROPERTY_SEPARATOR, index);
      if (end < 0) {
        end = len;
      }
      int sep = properties.indexOf(NAME_VALUE_SEPARATOR, index);
      if (sep > index && sep < end - 1) {
        map.put(properties.substring(index, sep), properties.substring(sep + 1, end));
      }
      index = end + 1;
    }
    return map;
  }

  /**
   * Returns the value of property {@code key} read straight from the UTF-8 bytes {@code buf[pos,
   * pos + len)} of a stored record, or null if absent. Gives what {@code decode(string).get(key)}
   * would (the same segments, the last match winning; names are compared as UTF-8 bytes), without
   * building the map: it allocates only the returned string (plus a copy of its bytes when {@code
   * buf} is direct) and, for a non-ASCII key, the key's bytes. Absolute reads: the buffer's
   * position and limit are untouched.
   *
   * @throws IndexOutOfBoundsException if the range lies outside {@code [0, buf.limit())}
   */
  public static String find(ByteBuffer buf, int pos, int len, String key) {
    Objects.checkFromIndexSize(pos, len, buf.limit());
    if (key.isEmpty()) {
      return null;
    }
    byte[] keyBytes = isAscii(key) ? null : key.getBytes(StandardCharsets.UTF_8);
    int end = pos + len;
    int valueStart = -1;
    int valueEnd = -1;
    int index = pos;
    while (index < end) {
      int segEnd = indexOf(buf, index, end, (byte) PROPERTY_SEPARATOR);
      int sep = indexOf(buf, index, segEnd, (byte) NAME_VALUE_SEPARATOR);
      // sep == segEnd means no separator in this segment; the last match wins, as in decode
      if (sep > index && sep < segEnd - 1 && nameEquals(buf, index, sep, key, keyBytes)) {
        valueStart = sep + 1;
        valueEnd = segEnd;
      }
      index = segEnd + 1;
    }
    return valueStart < 0 ? null : utf8(buf, valueStart, valueEnd - valueStart);
  }

  /**
   * The consume-queue tags code of a tag (protocol doc 3.4): 0 for null or empty, otherwise its
   * {@link String#hashCode()}.
   */
  public static long tagsCode(String tags) {
    return tags == null || tags.isEmpty() ? 0 : tags.hashCode();
  }

  /** Decodes {@code len} UTF-8 bytes at absolute index {@code pos} without moving {@code buf}. */
  static String utf8(ByteBuffer buf, int pos, int len) {
    if (buf.hasArray()) {
      return new String(buf.array(), buf.arrayOffset() + pos, len, StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[len];
    buf.get(pos, bytes, 0, len);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("property name is null or empty");
    }
    if (name.indexOf(NAME_VALUE_SEPARATOR) >= 0 || name.indexOf(PROPERTY_SEPARATOR) >= 0) {
      throw new IllegalArgumentException(
          "property name \"" + name + "\" contains a separator (\\u0001 or \\u0002)");
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Index of the first {@code b} in {@code [from, to)}, or {@code to}. */
  private static int indexOf(ByteBuffer buf, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (buf.get(i) == b) {
        return i;
      }
    }
    return to;
  }

  private static boolean nameEquals(ByteBuffer buf, int from, int to, String key, byte[] keyBytes) {
    if (keyBytes == null) {
      if (to - from != key.length()) {
        return false;
      }
      for (int i = 0; i < key.length(); i++) {
        if (buf.get(from + i) != (byte) key.charAt(i)) {
          return false;
        }
      }
      return true;
    }
    if (to - from != keyBytes.length) {
      return false;
    }
    for (int i = 0; i < keyBytes.length; i++) {
      if (buf.get(from + i) != keyBytes[i]) {
        return false;
      }
    }
    return true;
  }
}
