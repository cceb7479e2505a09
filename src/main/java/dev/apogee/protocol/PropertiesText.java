package dev.apogee.protocol;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The properties text of the config requests (GET_BROKER_CONFIG, GET_NAMESRV_CONFIG and their
 * updates): one {@code key=value} line per setting, keys in ascending order, as RocketMQ writes it.
 *
 * <p>The admin tool reads the text with {@link Properties#load(java.io.InputStream)}, which decodes
 * ISO-8859-1 and treats {@code \} as an escape, so a value is escaped where it would otherwise come
 * back different: backslashes, line breaks, a leading space and every character outside printable
 * ASCII (as {@code \}{@code uXXXX}). Plain values, which are nearly all, are written as they are.
 * Stateless.
 */
public final class PropertiesText {
  private PropertiesText() {}

  /** The settings as text; a null value leaves its key out, as RocketMQ leaves unset ones out. */
  public static String format(Map<String, String> settings) {
    StringBuilder out = new StringBuilder(settings.size() * 32);
    new TreeMap<>(settings)
        .forEach(
            (k, v) -> {
              if (v != null) {
                escape(k, true, out);
                out.append('=');
                escape(v, false, out);
                out.append('\n');
              }
            });
    return out.toString();
  }

  /**
   * Reads properties text as {@link Properties#load(java.io.Reader)} does.
   *
   * @throws IllegalArgumentException when the text holds a malformed {@code \}{@code uXXXX} escape
   */
  public static Map<String, String> parse(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      // A StringReader does not fail.
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  private static void escape(String s, boolean key, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case ' ' -> out.append(i == 0 || key ? "\\ " : " ");
        case '=', ':', '#', '!' -> {
          if (key) {
            out.append('\\');
          }
          out.append(c);
        }
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
