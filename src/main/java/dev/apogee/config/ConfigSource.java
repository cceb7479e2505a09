package dev.apogee.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key/value settings in RocketMQ's key names, read by the config records of each area. It remembers
 * which keys were read so that the loader can report the keys nobody knows.
 *
 * <p>Values come from a properties file and are overridden by environment variables named {@code
 * APOGEE_} plus the key in upper snake case ({@code flushDiskType} becomes {@code
 * APOGEE_FLUSH_DISK_TYPE}). Not thread-safe for concurrent reads during loading; immutable in use.
 */
public final class ConfigSource {
  private final Map<String, String> values;
  private final Map<String, String> origins;
  private final Set<String> read = ConcurrentHashMap.newKeySet();

  private ConfigSource(Map<String, String> values, Map<String, String> origins) {
    this.values = values;
    this.origins = origins;
  }

  /** Settings from a plain map, as tests and embedded use build them. */
  public static ConfigSource of(Map<String, String> values) {
    Map<String, String> origins = new LinkedHashMap<>();
    values.keySet().forEach(k -> origins.put(k, "settings"));
    return new ConfigSource(new LinkedHashMap<>(values), origins);
  }

  /**
   * Settings from a file's properties (origin names the file), overridden by {@code APOGEE_*}
   * variables of {@code env} that name a key known to {@code knownKeys} or present in the file.
   */
  public static ConfigSource of(
      Map<String, String> fileValues,
      String origin,
      Map<String, String> env,
      Set<String> knownKeys) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    fileValues.forEach(
        (k, v) -> {
          values.put(k, v);
          origins.put(k, origin);
        });
    Set<String> candidates = new TreeSet<>(knownKeys);
    candidates.addAll(fileValues.keySet());
    for (String key : candidates) {
      String envName = envName(key);
      String v = env.get(envName);
      if (v != null) {
        values.put(key, v);
        origins.put(key, "environment variable " + envName);
      }
    }
    return new ConfigSource(values, origins);
  }

  /**
   * The environment variable that overrides {@code key}: {@code APOGEE_} + upper snake case. A word
   * starts at an upper-case letter after a lower-case letter or digit, and at the last capital of
   * an acronym followed by lower case, so {@code checkCRCOnRecover} becomes {@code
   * APOGEE_CHECK_CRC_ON_RECOVER} and {@code brokerIP1} becomes {@code APOGEE_BROKER_IP1}.
   */
  public static String envName(String key) {
    StringBuilder sb = new StringBuilder("APOGEE_");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (i > 0 && Character.isUpperCase(c)) {
        char prev = key.charAt(i - 1);
        boolean afterWord = Character.isLowerCase(prev) || Character.isDigit(prev);
        boolean endsAcronym =
            Character.isUpperCase(prev)
                && i + 1 < key.length()
                && Character.isLowerCase(key.charAt(i + 1));
        if (afterWord || endsAcronym) {
          sb.append('_');
        }
      }
      sb.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
    }
    return sb.toString();
  }

  public String string(String key, String def) {
    read.add(key);
    String v = values.get(key);
    return v == null ? def : v.trim();
  }

  public int integer(String key, int def) {
    String v = string(key, null);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw invalid(key, v, "an integer");
    }
  }

  public long longValue(String key, long def) {
    String v = string(key, null);
    if (v == null) {
      return def;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw invalid(key, v, "an integer");
    }
  }

  public double decimal(String key, double def) {
    String v = string(key, null);
    if (v == null) {
      return def;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw invalid(key, v, "a number");
    }
  }

  public boolean bool(String key, boolean def) {
    String v = string(key, null);
    if (v == null) {
      return def;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(key, v, "true or false");
    }
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
    String v = string(key, null);
    if (v == null) {
      return def;
    }
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(key, v, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  /** Fails start-up with the key, where it came from, the value and what was expected. */
  public ConfigException invalid(String key, String value, String expected) {
    return new ConfigException(
        "invalid value '"
            + value
            + "' for "
            + key
            + " (from "
            + origins.getOrDefault(key, "defaults")
            + "): expected "
            + expected);
  }

  /** Where the value of {@code key} came from, for messages. */
  public String origin(String key) {
    return origins.getOrDefault(key, "defaults");
  }

  /** Keys that config records have asked for so far, present in the settings or not. */
  public Set<String> readKeys() {
    return Collections.unmodifiableSet(new TreeSet<>(read));
  }

  /** Keys present in the settings that no config record has read. */
  public Set<String> unreadKeys() {
    Set<String> unread = new TreeSet<>(values.keySet());
    unread.removeAll(read);
    return Collections.unmodifiableSet(unread);
  }
}
