package dev.apogee.store.message;

/**
 * Upper-case hex used by RocketMQ's message ids (protocol doc 3.7, 3.8). Package-private: the two
 * id classes are its only users. Stateless and thread-safe.
 */
final class Hex {
  private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

  private Hex() {}

  /**
   * Writes {@code bytes} as two hex digits each into {@code dst} from {@code pos}; returns the next
   * position.
   */
  static int write(char[] dst, int pos, byte[] bytes) {
    for (byte b : bytes) {
      dst[pos++] = DIGITS[(b >>> 4) & 0xF];
      dst[pos++] = DIGITS[b & 0xF];
    }
    return pos;
  }

  /**
   * Writes the low {@code byteCount} bytes of {@code value}, big-endian; returns the next position.
   */
  static int write(char[] dst, int pos, long value, int byteCount) {
    for (int shift = (byteCount - 1) * 8; shift >= 0; shift -= 8) {
      dst[pos++] = DIGITS[(int) (value >>> (shift + 4)) & 0xF];
      dst[pos++] = DIGITS[(int) (value >>> shift) & 0xF];
    }
    return pos;
  }

  /**
   * Decodes {@code hex} (either case, even length) into bytes.
   *
   * @throws IllegalArgumentException naming the first character that is not a hex digit
   */
  static byte[] decode(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (digit(hex, 2 * i) << 4 | digit(hex, 2 * i + 1));
    }
    return out;
  }

  private static int digit(String s, int index) {
    int d = Character.digit(s.charAt(index), 16);
    if (d < 0 || s.charAt(index) > 'f') {
      throw new IllegalArgumentException(
          "'" + s.charAt(index) + "' at index " + index + " is not a hex digit in \"" + s + "\"");
    }
    return d;
  }
}
