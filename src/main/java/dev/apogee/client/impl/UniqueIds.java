package dev.apogee.client.impl;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Makes unique message ids ({@code UNIQ_KEY}, rocketmq-protocol.md 3.8) in the official client's
 * format: {@code ip (4 or 16 bytes) | pid (short) | class-loader hash (int) | ms since the start of
 * the month (int) | counter (short)}, as upper-case hex. Months start at midnight on day 1 in the
 * JVM's default zone, as the official client's calendar does.
 *
 * <p>Thread-safe: the counter is shared by every generator in the JVM, as the official client's is,
 * so two producers in one process never repeat each other's ids within a millisecond.
 */
final class UniqueIds {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final String prefix;
  private final LongSupplier clock;
  private final ZoneId zone;
  private volatile long monthStart;
  private volatile long monthEnd;

  UniqueIds(byte[] ip, long pid, int classLoaderHash, LongSupplier clock, ZoneId zone) {
    ByteBuffer fixed = ByteBuffer.allocate(ip.length + 2 + 4);
    fixed.put(ip).putShort((short) pid).putInt(classLoaderHash);
    this.prefix = HEX.formatHex(fixed.array());
    this.clock = clock;
    this.zone = zone;
    setMonth(clock.getAsLong());
  }

  /** Ids for this process: its pid, this class's loader, the system clock and default zone. */
  static UniqueIds forProcess(byte[] ip) {
    ClassLoader loader = UniqueIds.class.getClassLoader();
    return new UniqueIds(
        ip,
        ProcessHandle.current().pid(),
        loader == null ? 0 : loader.hashCode(),
        System::currentTimeMillis,
        ZoneId.systemDefault());
  }

  /** A new id. */
  String next() {
    long now = clock.getAsLong();
    if (now >= monthEnd || now < monthStart) {
      setMonth(now);
    }
    ByteBuffer tail = ByteBuffer.allocate(6);
    tail.putInt((int) (now - monthStart)).putShort((short) COUNTER.getAndIncrement());
    return prefix + HEX.formatHex(tail.array());
  }

  private synchronized void setMonth(long epochMillis) {
    ZonedDateTime start =
        Instant.ofEpochMilli(epochMillis)
            .atZone(zone)
            .withDayOfMonth(1)
            .truncatedTo(ChronoUnit.DAYS);
    monthStart = start.toInstant().toEpochMilli();
    monthEnd = start.plusMonths(1).toInstant().toEpochMilli();
  }
}
