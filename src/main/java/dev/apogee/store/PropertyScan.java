package dev.apogee.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One pass over a stored record's properties (protocol doc 3.1) for what dispatch needs: the tags
 * hash and where KEYS and UNIQ_KEY sit. The tags hash is computed from the bytes without making a
 * String when the tag is ASCII (it equals {@code String.hashCode()} then), so a record costs no
 * allocation unless the key index wants its keys.
 *
 * <p>Reused by its one thread; not thread-safe.
 */
final class PropertyScan {
  private static final byte NAME_END = 1;
  private static final byte ENTRY_END = 2;

  private ByteBuffer buf;
  long tagsCode;

  /** The DELAY property's level, 0 when absent or not a plain decimal number. */
  int delayLevel;

  private int keysPos;
  private int keysLen;
  private int uniqPos;
  private int uniqLen;

  void scan(ByteBuffer b, int pos, int len) {
    buf = b;
    tagsCode = 0;
    delayLevel = 0;
    keysPos = -1;
    uniqPos = -1;
    int end = pos + len;
    int i = pos;
    while (i < end) {
      int nameStart = i;
      while (i < end && b.get(i) != NAME_END && b.get(i) != ENTRY_END) {
        i++;
      }
      if (i >= end || b.get(i) == ENTRY_END) {
        i++;
        continue;
      }
      int nameLen = i - nameStart;
      int valueStart = ++i;
      while (i < end && b.get(i) != ENTRY_END) {
        i++;
      }
      int valueLen = i - valueStart;
      i++;
      if (valueLen == 0) {
        continue;
      }
      if (is(b, nameStart, nameLen, 'T', 'A', 'G', 'S')) {
        tagsCode = tagsHash(b, valueStart, valueLen);
      } else if (is(b, nameStart, nameLen, 'K', 'E', 'Y', 'S')) {
        keysPos = valueStart;
        keysLen = valueLen;
      } else if (nameLen == 8
          && is(b, nameStart, 4, 'U', 'N', 'I', 'Q')
          && is(b, nameStart + 4, 4, '_', 'K', 'E', 'Y')) {
        uniqPos = valueStart;
        uniqLen = valueLen;
      } else if (nameLen == 5
          && is(b, nameStart, 4, 'D', 'E', 'L', 'A')
          && b.get(nameStart + 4) == 'Y') {
        delayLevel = level(b, valueStart, valueLen);
      }
    }
  }

  /** A small non-negative decimal number; 0 for anything else (RocketMQ ignores such levels). */
  private static int level(ByteBuffer b, int pos, int len) {
    if (len > 9) {
      return 0;
    }
    int v = 0;
    for (int i = 0; i < len; i++) {
      byte c = b.get(pos + i);
      if (c < '0' || c > '9') {
        return 0;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * The {@code String.hashCode()} of {@code topic#key} for every key (each KEYS item and the
   * UNIQ_KEY), computed from the bytes: hash(a+b) = hash(a)·31^len(b) + hash(b). Returns the count
   * written to {@code out} (grown when needed, so callers keep the returned array).
   */
  int[] keyHashes(int topicHash, int[] out) {
    keyCount = 0;
    int[] o = out;
    if (uniqPos >= 0) {
      o = addKey(o, topicHash, uniqPos, uniqLen);
    }
    if (keysPos >= 0) {
      int end = keysPos + keysLen;
      int from = keysPos;
      for (int i = keysPos; i <= end; i++) {
        if (i == end || buf.get(i) == ' ') {
          if (i > from) {
            o = addKey(o, topicHash, from, i - from);
          }
          from = i + 1;
        }
      }
    }
    return o;
  }

  /** Keys found by the last {@link #keyHashes}. */
  int keyCount;

  private int[] addKey(int[] out, int topicHash, int pos, int len) {
    int h = 0;
    int n = len;
    boolean ascii = true;
    for (int i = 0; i < len; i++) {
      byte c = buf.get(pos + i);
      if (c < 0) {
        ascii = false;
        break;
      }
      h = 31 * h + c;
    }
    if (!ascii) {
      String key = utf8(pos, len);
      h = key.hashCode();
      n = key.length();
    }
    // topic + '#' + key
    int hash = (topicHash * 31 + '#') * pow31(n) + h;
    int[] o = out.length == keyCount ? java.util.Arrays.copyOf(out, keyCount * 2 + 4) : out;
    o[keyCount++] = hash;
    return o;
  }

  private static int pow31(int n) {
    int p = 1;
    for (int i = 0; i < n; i++) {
      p *= 31;
    }
    return p;
  }

  /** The KEYS value, or null. */
  String keys() {
    return keysPos < 0 ? null : utf8(keysPos, keysLen);
  }

  /** The UNIQ_KEY value, or null. */
  String uniqKey() {
    return uniqPos < 0 ? null : utf8(uniqPos, uniqLen);
  }

  boolean hasKeys() {
    return keysPos >= 0 || uniqPos >= 0;
  }

  private String utf8(int pos, int len) {
    byte[] bytes = new byte[len];
    buf.get(pos, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static boolean is(ByteBuffer b, int pos, int len, char c0, char c1, char c2, char c3) {
    return len == 4
        && b.get(pos) == c0
        && b.get(pos + 1) == c1
        && b.get(pos + 2) == c2
        && b.get(pos + 3) == c3;
  }

  /** {@code String.hashCode()} of the tag, straight from ASCII bytes (decoded otherwise). */
  static long tagsHash(ByteBuffer b, int pos, int len) {
    int h = 0;
    for (int i = 0; i < len; i++) {
      byte c = b.get(pos + i);
      if (c < 0) {
        byte[] bytes = new byte[len];
        b.get(pos, bytes);
        return new String(bytes, StandardCharsets.UTF_8).hashCode();
      }
      h = 31 * h + c;
    }
    return h;
  }
}
