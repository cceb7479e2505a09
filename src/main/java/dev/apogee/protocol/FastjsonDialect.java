package dev.apogee.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Arrays;

/**
 * Rewrites JSON in fastjson's dialect into standard JSON (rocketmq-protocol.md 1.10): an unquoted
 * key such as {@code 0} in {@code {0:"addr"}} becomes {@code "0"}, and a raw object key such as
 * {@code {"brokerName":"b","queueId":0,"topic":"T"}} becomes that text as a JSON string. Strings
 * and values are copied unchanged. A small state machine over the characters; stateless between
 * calls.
 */
final class FastjsonDialect {

  /** Inside an array. */
  private static final byte ARRAY = 0;

  /** Inside an object, before a key (after its brace or a comma). */
  private static final byte KEY = 1;

  /** Inside an object, after a key, before its colon. */
  private static final byte COLON = 2;

  /** Inside an object, after a colon, up to the next comma or the closing brace. */
  private static final byte VALUE = 3;

  /** Objects and arrays nest at most this deep, as in Jackson's default read constraints. */
  private static final int MAX_DEPTH = 1000;

  /** A raw object key inside a raw object key inside ... at most this deep. */
  private static final int MAX_KEY_NESTING = 8;

  private FastjsonDialect() {}

  static String toStandardJson(String in) {
    return convert(in, 0);
  }

  private static String convert(String in, int keyNesting) {
    StringBuilder out = new StringBuilder(in.length() + 16);
    byte[] stack = new byte[16];
    int depth = 0;
    int i = 0;
    while (i < in.length()) {
      char c = in.charAt(i);
      byte state = depth == 0 ? VALUE : stack[depth - 1];
      if (Character.isWhitespace(c)) {
        out.append(c);
        i++;
      } else if (state == COLON) {
        if (c != ':') {
          throw malformed(in, i, "expected ':' after a key");
        }
        stack[depth - 1] = VALUE;
        out.append(c);
        i++;
      } else if (c == '"') {
        int end = endOfString(in, i);
        out.append(in, i, end);
        i = end;
        if (state == KEY) {
          stack[depth - 1] = COLON;
        }
      } else if (state == KEY && c != '}') {
        boolean objectKey = c == '{';
        if (objectKey && keyNesting == MAX_KEY_NESTING) {
          throw malformed(in, i, "object keys nested deeper than " + MAX_KEY_NESTING);
        }
        int end = objectKey ? endOfObject(in, i) : endOfBareKey(in, i);
        String key = in.substring(i, end);
        String standardKey = objectKey ? convert(key, keyNesting + 1) : key;
        out.append('"')
            .append(JsonStringEncoder.getInstance().quoteAsString(standardKey))
            .append('"');
        stack[depth - 1] = COLON;
        i = end;
      } else {
        switch (c) {
          case '{', '[' -> {
            if (depth == MAX_DEPTH) {
              throw malformed(in, i, "nested deeper than " + MAX_DEPTH);
            }
            if (depth == stack.length) {
              stack = Arrays.copyOf(stack, depth * 2);
            }
            stack[depth++] = c == '{' ? KEY : ARRAY;
          }
          case '}' -> {
            if (depth == 0 || (state != KEY && state != VALUE)) {
              throw malformed(in, i, "unexpected '}'");
            }
            depth--;
          }
          case ']' -> {
            if (depth == 0 || state != ARRAY) {
              throw malformed(in, i, "unexpected ']'");
            }
            depth--;
          }
          case ',' -> {
            if (depth > 0 && state == VALUE) {
              stack[depth - 1] = KEY;
            }
          }
          default -> {}
        }
        out.append(c);
        i++;
      }
    }
    if (depth != 0) {
      throw malformed(in, in.length(), "unclosed object or array");
    }
    return out.toString();
  }

  /** The index just past the string that starts with the quote at {@code start}. */
  private static int endOfString(String in, int start) {
    int i = start + 1;
    while (i < in.length()) {
      char c = in.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
    throw malformed(in, start, "unterminated string");
  }

  /** The index just past the object that starts with the brace at {@code start}. */
  private static int endOfObject(String in, int start) {
    int nesting = 0;
    int i = start;
    while (i < in.length()) {
      char c = in.charAt(i);
      if (c == '"') {
        i = endOfString(in, i);
        continue;
      }
      if (c == '{' || c == '[') {
        nesting++;
      } else if ((c == '}' || c == ']') && --nesting == 0) {
        return i + 1;
      }
      i++;
    }
    throw malformed(in, start, "unterminated object key");
  }

  /** The index just past an unquoted key such as {@code 0} or {@code -1}. */
  private static int endOfBareKey(String in, int start) {
    int i = start;
    while (i < in.length() && isBareKeyChar(in.charAt(i))) {
      i++;
    }
    if (i == start) {
      throw malformed(in, start, "expected a key");
    }
    return i;
  }

  private static boolean isBareKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '+' || c == '.' || c == '_' || c == '$';
  }

  private static BodyFormatException malformed(String in, int at, String what) {
    return new BodyFormatException(
        what + " at offset " + at + " of a " + in.length() + "-character JSON body");
  }
}
