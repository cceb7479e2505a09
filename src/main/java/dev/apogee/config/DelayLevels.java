package dev.apogee.config;

import java.util.Arrays;

/**
 * The delay levels of delayed messages ({@code messageDelayLevel}, protocol doc 5.8): level {@code
 * n} (1-based) waits the n-th duration of a space-separated list such as {@code "1s 5s 10s 30s 1m
 * 2m"}, each a whole number followed by {@code s}, {@code m}, {@code h} or {@code d}. Levels above
 * the last are clamped to it, as RocketMQ does.
 *
 * <p>Immutable and thread-safe. {@link #toString()} gives the list back in the configuration's
 * syntax, so the broker config answer shows it as written.
 */
public final class DelayLevels {
  /** RocketMQ's default list: 18 levels from 1 s to 2 h. */
  public static final String DEFAULT_LEVELS =
      "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";

  public static final DelayLevels DEFAULT = parse(DEFAULT_LEVELS);

  private final String text;

  /** Delay of level {@code i + 1} in milliseconds. */
  private final long[] millis;

  private DelayLevels(String text, long[] millis) {
    this.text = text;
    this.millis = millis;
  }

  /**
   * Parses a level list.
   *
   * @throws IllegalArgumentException naming the bad entry and its position when an entry is not a
   *     non-negative whole number with a unit of s, m, h or d, or when the list is empty
   */
  public static DelayLevels parse(String levels) {
    String trimmed = levels == null ? "" : levels.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("no delay level given");
    }
    String[] parts = trimmed.split("\\s+");
    long[] millis = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      millis[i] = entryMillis(parts[i], i + 1);
    }
    return new DelayLevels(String.join(" ", parts), millis);
  }

  private static long entryMillis(String entry, int level) {
    long unit =
        switch (entry.charAt(entry.length() - 1)) {
          case 's' -> 1_000L;
          case 'm' -> 60_000L;
          case 'h' -> 3_600_000L;
          case 'd' -> 86_400_000L;
          default -> -1;
        };
    String number = entry.substring(0, entry.length() - 1);
    if (unit < 0 || number.isEmpty() || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "level " + level + " '" + entry + "' is not a whole number followed by s, m, h or d");
    }
    try {
      return Math.multiplyExact(Long.parseLong(number), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("level " + level + " '" + entry + "' is too long a delay");
    }
  }

  /** The highest level (the number of entries). */
  public int maxLevel() {
    return millis.length;
  }

  /** {@code level} clamped to {@link #maxLevel()}; 0 and below stay as they are (no delay). */
  public int clamp(int level) {
    return Math.min(level, millis.length);
  }

  /** The delay of {@code level} (clamped to the highest level) in milliseconds; level ≥ 1. */
  public long millis(int level) {
    if (level < 1) {
      throw new IllegalArgumentException("delay level " + level + " is below 1");
    }
    return millis[clamp(level) - 1];
  }

  /** When a message of {@code level} stored at {@code storeTimestamp} is due. */
  public long deliverTimestamp(int level, long storeTimestamp) {
    return storeTimestamp + millis(level);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DelayLevels d && Arrays.equals(millis, d.millis);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(millis);
  }

  @Override
  public String toString() {
    return text;
  }
}
