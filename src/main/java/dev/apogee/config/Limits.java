package dev.apogee.config;

/**
 * Reads a value and checks its range, so that a value out of range is reported like a value that
 * does not parse: with its key, where it came from and what was expected.
 */
final class Limits {
  private Limits() {}

  static int port(ConfigSource src, String key, int def) {
    return between(src, key, def, 0, 65_535);
  }

  static int between(ConfigSource src, String key, int def, int min, int max) {
    int v = src.integer(key, def);
    if (v < min || v > max) {
      throw src.invalid(key, Integer.toString(v), "a number from " + min + " to " + max);
    }
    return v;
  }

  static int atLeast(ConfigSource src, String key, int def, int min) {
    int v = src.integer(key, def);
    if (v < min) {
      throw src.invalid(key, Integer.toString(v), "a number of at least " + min);
    }
    return v;
  }

  static String nonBlank(ConfigSource src, String key, String def) {
    String v = src.string(key, def);
    if (v == null || v.isEmpty()) {
      throw src.invalid(key, v == null ? "" : v, "a non-empty value");
    }
    return v;
  }
}
