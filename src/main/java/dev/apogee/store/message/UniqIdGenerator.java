package dev.apogee.store.message;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Generates RocketMQ unique client message ids ({@code UNIQ_KEY}, protocol doc 3.8) for messages
 * that arrive without one: {@code ip (4 or 16 bytes) | pid (short) | class-loader hash (int) | ms
 * since the start of the current month (int) | counter (short)} as upper-case hex, 32 characters
 * for an IPv4 address and 56 for IPv6. The month starts at midnight on day 1 in the generator's
 * zone (RocketMQ uses the JVM default zone); the clock is injected so tests are deterministic.
 *
 * <p>Thread-safe: the counter is an {@link AtomicInteger} (its low 16 bits are used, so it wraps
 * every 65,536 ids) and the current month's bounds are an immutable pair in a volatile field,
 * recomputed when the clock leaves them (also when it steps back).
 */
public final class UniqIdGenerator {
  private final char[] prefix;
  private final LongSupplier clock;
  private final ZoneId zone;
  private final AtomicInteger counter = new AtomicInteger();
  private volatile Month month;

  /** Start (inclusive) and end (exclusive) of a month in epoch ms. */
  private record Month(long start, long end) {}

  /**
   * @param ip the address put in every id (the broker's own)
   * @param pid the process id; its low 16 bits are used
   * @param classLoaderHash any int identifying this JVM's loader, as RocketMQ uses its class
   *     loader's hash code
   * @param clock epoch milliseconds
   * @param zone the zone in which months start
   */
  public UniqIdGenerator(
      InetAddress ip, long pid, int classLoaderHash, LongSupplier clock, ZoneId zone) {
    byte[] address = ip.getAddress();
    this.prefix = new char[(address.length + 2 + 4) * 2];
    int p = Hex.write(prefix, 0, address);
    p = Hex.write(prefix, p, pid, 2);
    Hex.write(prefix, p, classLoaderHash, 4);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.month = monthOf(clock.getAsLong());
  }

  /**
   * A generator for this process: its pid, this class's loader hash, the system clock and the JVM
   * default zone.
   */
  public static UniqIdGenerator forThisProcess(InetAddress ip) {
    ClassLoader loader = UniqIdGenerator.class.getClassLoader();
    return new UniqIdGenerator(
        ip,
        ProcessHandle.current().pid(),
        loader == null ? 0 : loader.hashCode(),
        System::currentTimeMillis,
        ZoneId.systemDefault());
  }

  /** Returns a new id. */
  public String next() {
    long now = clock.getAsLong();
    Month m = month;
    if (now < m.start() || now >= m.end()) {
      m = monthOf(now);
      month = m;
    }
    char[] id = new char[prefix.length + 12];
    System.arraycopy(prefix, 0, id, 0, prefix.length);
    // a month has up to 2,678,400,000 ms, over Integer.MAX_VALUE: the field holds the low 32 bits
    int p = Hex.write(id, prefix.length, now - m.start(), 4);
    Hex.write(id, p, counter.getAndIncrement(), 2);
    return new String(id);
  }

  private Month monthOf(long epochMs) {
    ZonedDateTime start =
        Instant.ofEpochMilli(epochMs).atZone(zone).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
    return new Month(
        start.toInstant().toEpochMilli(), start.plusMonths(1).toInstant().toEpochMilli());
  }
}
