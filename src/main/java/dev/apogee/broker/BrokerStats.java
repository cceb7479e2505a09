package dev.apogee.broker;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's message counters as {@code mqadmin clusterList} and {@code brokerStatus} show them:
 * messages stored (put) and messages handed to consumers (get, counted per pulled message), the
 * totals at this and the previous local midnight, and rates over the last 10 s, 1 min and 10 min.
 *
 * <p>Counting is a {@link LongAdder} increment on the request path; {@link #sample} runs once a
 * second on one thread (a broker timer) and keeps 601 one-second samples, so rates cost nothing per
 * message. Reads may come from any thread.
 */
public final class BrokerStats {
  /** Samples kept: enough for a 600 s window. */
  static final int SAMPLES = 601;

  private static final int[] WINDOWS = {10, 60, 600};

  private final LongAdder put = new LongAdder();
  private final LongAdder got = new LongAdder();
  private final ZoneId zone;

  // Ring of samples, written by sample() only; readers copy under the monitor.
  private final long[] at = new long[SAMPLES];
  private final long[] puts = new long[SAMPLES];
  private final long[] gets = new long[SAMPLES];
  private int next;
  private int filled;

  private LocalDate day;
  private long putTodayMorning;
  private long putYesterdayMorning;
  private long getTodayMorning;
  private long getYesterdayMorning;

  public BrokerStats(ZoneId zone) {
    this.zone = zone;
  }

  /** Counts {@code n} messages stored. */
  public void putMessages(int n) {
    put.add(n);
  }

  /** Counts {@code n} messages handed to a consumer. */
  public void gotMessages(int n) {
    got.add(n);
  }

  /** Takes a one-second sample and rolls the daily totals at local midnight. */
  public synchronized void sample(long nowMillis) {
    long p = put.sum();
    long g = got.sum();
    LocalDate today = Instant.ofEpochMilli(nowMillis).atZone(zone).toLocalDate();
    if (day == null) {
      day = today;
    } else if (!today.equals(day)) {
      // Only one midnight can pass between samples a second apart; after a longer pause (a
      // suspended machine) yesterday's morning is unknown and reads as today's.
      boolean oneDay = today.equals(day.plusDays(1));
      putYesterdayMorning = oneDay ? putTodayMorning : p;
      getYesterdayMorning = oneDay ? getTodayMorning : g;
      putTodayMorning = p;
      getTodayMorning = g;
      day = today;
    }
    at[next] = nowMillis;
    puts[next] = p;
    gets[next] = g;
    next = (next + 1) % SAMPLES;
    filled = Math.min(filled + 1, SAMPLES);
  }

  /** Stored messages per second over 10 s, 1 min and 10 min, space separated. */
  public synchronized String putTps() {
    return rates(puts);
  }

  /** Messages handed to consumers per second over 10 s, 1 min and 10 min, space separated. */
  public synchronized String getTransferredTps() {
    return rates(gets);
  }

  public long putTotal() {
    return put.sum();
  }

  public long getTotal() {
    return got.sum();
  }

  public synchronized long putTotalTodayMorning() {
    return putTodayMorning;
  }

  public synchronized long putTotalYesterdayMorning() {
    return putYesterdayMorning;
  }

  public synchronized long getTotalTodayMorning() {
    return getTodayMorning;
  }

  public synchronized long getTotalYesterdayMorning() {
    return getYesterdayMorning;
  }

  // A window longer than the samples taken so far uses what there is, as a fresh broker's rates
  // over "10 min" are its rates since start.
  private String rates(long[] counts) {
    StringBuilder sb = new StringBuilder(24);
    for (int w : WINDOWS) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format(Locale.ROOT, "%.2f", rate(counts, w)));
    }
    return sb.toString();
  }

  private double rate(long[] counts, int window) {
    if (filled < 2) {
      return 0.0;
    }
    int span = Math.min(window, filled - 1);
    int last = Math.floorMod(next - 1, SAMPLES);
    int first = Math.floorMod(last - span, SAMPLES);
    long millis = at[last] - at[first];
    if (millis <= 0) {
      return 0.0;
    }
    return (counts[last] - counts[first]) * 1000.0 / millis;
  }
}
