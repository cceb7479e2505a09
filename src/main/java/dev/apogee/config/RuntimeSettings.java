package dev.apogee.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * A process's settings as the admin tool sees them (GET_BROKER_CONFIG / UPDATE_BROKER_CONFIG,
 * GET_NAMESRV_CONFIG / UPDATE_NAMESRV_CONFIG): the values read at start, which are shown but refuse
 * changes, and live settings, which an update changes at once for every later reader.
 *
 * <p>An update is all or nothing: when one key is refused, nothing changes and the first refused
 * key is named with the reason. RocketMQ accepts any key and silently ignores those it does not
 * know, or changes a value nobody reads again; here a key is refused unless changing it takes
 * effect. Each accepted update moves the version on, as RocketMQ's configuration version does.
 *
 * <p>Thread-safe: reads see one consistent snapshot without locking; updates are serialized.
 */
public final class RuntimeSettings {
  /** Why a key was refused. */
  public enum Refusal {
    /** One of RocketMQ's black-listed keys (the paths of its own files). */
    BLACK_LIST,
    /** Read once at start: it changes with the configuration file and a restart. */
    READ_AT_START,
    /** A RocketMQ setting this process does not use. */
    NOT_USED,
    /** Not a setting at all (a typo, usually). */
    UNKNOWN,
    /** A live setting given a value it cannot take. */
    BAD_VALUE
  }

  /**
   * A refused update.
   *
   * @param key the first key refused
   * @param reason why
   * @param message what to tell the admin: the key, the reason and what would work
   */
  public record Rejection(String key, Refusal reason, String message) {}

  /**
   * The settings' version, RocketMQ's configuration data version without its controller part.
   *
   * @param timestamp when it was made, epoch millis
   * @param counter accepted updates so far
   */
  public record Version(long timestamp, long counter) {}

  /** Turns a requested value into the value kept, or says what is expected. */
  @FunctionalInterface
  public interface Kind {
    /**
     * @throws IllegalArgumentException with what is expected, when {@code raw} is not a value of
     *     this kind
     */
    String canonical(String raw);
  }

  /** {@code true} or {@code false}, any case, kept in lower case. */
  public static final Kind BOOLEAN =
      raw -> {
        String v = raw.trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
          return v.toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("true or false");
      };

  /** RocketMQ's remark for its black-listed keys, kept word for word. */
  public static final String BLACK_LIST_REMARK = "Can not update config in black list.";

  private final String process;
  private final Map<String, String> fixed;
  private final Set<String> readAtStart;
  private final Set<String> blackList;
  private final Map<String, Kind> kinds;
  private final LongSupplier clock;

  private volatile Map<String, String> live;
  private volatile Version version;

  private RuntimeSettings(Builder b) {
    this.process = b.process;
    this.fixed = Collections.unmodifiableMap(new TreeMap<>(b.fixed));
    this.readAtStart = Set.copyOf(b.readAtStart);
    this.blackList = Set.copyOf(b.blackList);
    this.kinds = Map.copyOf(b.kinds);
    this.clock = b.clock;
    this.live = Collections.unmodifiableMap(new TreeMap<>(b.live));
    this.version = new Version(b.startedAt, 0);
  }

  /**
   * Starts the settings of a process.
   *
   * @param process what the process is called in messages ("broker", "name server")
   * @param startedAt the version's timestamp until the first update, epoch millis
   * @param clock the time of later versions
   */
  public static Builder builder(String process, long startedAt, LongSupplier clock) {
    return new Builder(process, startedAt, clock);
  }

  /** Every setting shown, read-at-start and live, by key in ascending order. */
  public Map<String, String> all() {
    Map<String, String> out = new TreeMap<>(fixed);
    out.putAll(live);
    return out;
  }

  /** The current value of a live setting, or null when {@code key} is not one. */
  public String live(String key) {
    return live.get(key);
  }

  /** Whether the live boolean setting {@code key} is on. */
  public boolean on(String key) {
    return "true".equals(live.get(key));
  }

  /** The keys that change while the process runs, in ascending order. */
  public Set<String> liveKeys() {
    return live.keySet();
  }

  /** The version: the start time with counter 0, then moved on by every accepted update. */
  public Version version() {
    return version;
  }

  /**
   * Applies every change or none.
   *
   * @return the refusal of the first key that cannot change, empty when all changed
   */
  public synchronized Optional<Rejection> update(Map<String, String> changes) {
    Map<String, String> next = new TreeMap<>(live);
    for (Map.Entry<String, String> e : new TreeMap<>(changes).entrySet()) {
      String key = e.getKey();
      Kind kind = kinds.get(key);
      if (kind == null) {
        return Optional.of(refusal(key));
      }
      try {
        next.put(key, kind.canonical(e.getValue()));
      } catch (IllegalArgumentException bad) {
        return Optional.of(
            new Rejection(
                key,
                Refusal.BAD_VALUE,
                "Can not update config "
                    + key
                    + " to '"
                    + e.getValue()
                    + "': expected "
                    + bad.getMessage()));
      }
    }
    if (!changes.isEmpty()) {
      live = Collections.unmodifiableMap(next);
      version = new Version(clock.getAsLong(), version.counter() + 1);
    }
    return Optional.empty();
  }

  private Rejection refusal(String key) {
    if (blackList.contains(key)) {
      return new Rejection(key, Refusal.BLACK_LIST, BLACK_LIST_REMARK);
    }
    String prefix = "Can not update config " + key + ": ";
    String liveOnes =
        live.isEmpty()
            ? ""
            : "; the settings that change while it runs are " + String.join(", ", live.keySet());
    if (fixed.containsKey(key) || readAtStart.contains(key)) {
      return new Rejection(
          key,
          Refusal.READ_AT_START,
          prefix
              + "the "
              + process
              + " reads it only at start (set it in its configuration file and restart)"
              + liveOnes);
    }
    if (RocketMqSettings.contains(key)) {
      return new Rejection(
          key,
          Refusal.NOT_USED,
          prefix + "a RocketMQ setting this " + process + " does not use" + liveOnes);
    }
    return new Rejection(
        key, Refusal.UNKNOWN, prefix + "not a setting of this " + process + liveOnes);
  }

  /**
   * Every key a process of {@code role} reads from its configuration file at start, whether the
   * file sets it or not.
   */
  public static Set<String> keysReadAtStart(ConfigLoader.Role role) {
    // brokerIP1 given, so that reading it does not look for this machine's address.
    ConfigSource probe = ConfigSource.of(Map.of("brokerIP1", "127.0.0.1"));
    if (role == ConfigLoader.Role.NAMESRV) {
      NameServerConfig.from(probe);
    } else {
      StoreConfig.from(probe);
      FlushConfig.from(probe);
      BrokerConfig.from(probe);
      GatewayConfig.from(probe);
    }
    return new TreeSet<>(probe.readKeys());
  }

  /** Collects the settings of a process; not thread-safe, used once. */
  public static final class Builder {
    private final String process;
    private final long startedAt;
    private final LongSupplier clock;
    private final Map<String, String> fixed = new LinkedHashMap<>();
    private final Set<String> readAtStart = new TreeSet<>();
    private final Set<String> blackList = new TreeSet<>();
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final Map<String, String> live = new LinkedHashMap<>();

    private Builder(String process, long startedAt, LongSupplier clock) {
      this.process = process;
      this.startedAt = startedAt;
      this.clock = clock;
    }

    /** A value read at start, shown by the get request; a null value is not shown. */
    public Builder fixed(String key, String value) {
      if (value != null) {
        fixed.put(key, value);
      }
      readAtStart.add(key);
      return this;
    }

    /** Values read at start, shown by the get request; null values are not shown. */
    public Builder fixed(Map<String, String> values) {
      values.forEach(this::fixed);
      return this;
    }

    /** Keys read at start that are not shown (their record is not at hand). */
    public Builder readAtStart(Set<String> keys) {
      readAtStart.addAll(keys);
      return this;
    }

    /** Keys refused with RocketMQ's own black-list remark. */
    public Builder blackList(List<String> keys) {
      blackList.addAll(keys);
      return this;
    }

    /** A setting an update changes; {@code initial} must be a value of {@code kind}. */
    public Builder live(String key, String initial, Kind kind) {
      kinds.put(key, kind);
      live.put(key, kind.canonical(initial));
      return this;
    }

    public RuntimeSettings build() {
      for (String k : live.keySet()) {
        fixed.remove(k);
        readAtStart.remove(k);
      }
      return new RuntimeSettings(this);
    }
  }
}
