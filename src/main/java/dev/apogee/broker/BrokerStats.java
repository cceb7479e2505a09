package dev.apogee.broker;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The broker's message counters as {@code mqadmin clusterList}, {@code brokerStatus} and {@code
 * statsAll} show them: messages stored (put) and messages handed to consumers (get, counted per
 * pulled message), for the whole broker and per topic (puts) and per topic and consumer group
 * (gets); the broker's totals at this and the previous local midnight, and its rates over the last
 * 10 s, 1 min and 10 min; each key's minute, hour and day windows ({@link StatsItem}).
 *
 * <p>Counting is a map lookup and a few {@link java.util.concurrent.atomic.LongAdder} increments on
 * the request path, without locks; a key's item is made once, at its first count. {@link #sample}
 * runs once a second on one thread (a broker timer): it keeps 601 one-second samples of the
 * broker's totals and, every 10 s, 10 min and hour, snapshots every item, so rates cost nothing per
 * message. Reads may come from any thread.
 */
public final class BrokerStats {
  /** Samples kept: enough for a 600 s window. */
  static final int SAMPLES = 601;

  private static final int[] WINDOWS = {10, 60, 600};

  private final StatsItem put = new StatsItem();
  private final StatsItem got = new StatsItem();
  private final ConcurrentHashMap<String, StatsItem> topicPuts = new ConcurrentHashMap<>();

  /** Topic, then consumer group. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, StatsItem>> groupGets =
      new ConcurrentHashMap<>();

  private final ZoneId zone;
  private final long[] lastWindowSample = new long[StatsItem.Window.values().length];

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
    Arrays.fill(lastWindowSample, Long.MIN_VALUE);
  }

  /** Counts {@code n} messages stored, for the broker only (the topic unknown). */
  public void putMessages(int n) {
    put.add(n, 0);
  }

  /** Counts {@code n} messages of {@code bytes} stored in {@code topic} by one request. */
  public void putMessages(String topic, int n, long bytes) {
    put.add(n, bytes);
    StatsItem item = topicPuts.get(topic);
    if (item == null) {
      item = topicPuts.computeIfAbsent(topic, t -> new StatsItem());
    }
    item.add(n, bytes);
  }

  /** Counts {@code n} messages handed to a consumer, for the broker only (topic, group unknown). */
  public void gotMessages(int n) {
    got.add(n, 0);
  }

  /** Counts {@code n} messages of {@code bytes} of {@code topic} pulled by {@code group}. */
  public void gotMessages(String topic, String group, int n, long bytes) {
    got.add(n, bytes);
    ConcurrentHashMap<String, StatsItem> byGroup = groupGets.get(topic);
    if (byGroup == null) {
      byGroup = groupGets.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
    }
    StatsItem item = byGroup.get(group);
    if (item == null) {
      item = byGroup.computeIfAbsent(group, g -> new StatsItem());
    }
    item.add(n, bytes);
  }

  /** Everything stored in the broker. */
  public StatsItem brokerPuts() {
    return put;
  }

  /** Everything handed to consumers. */
  public StatsItem brokerGets() {
    return got;
  }

  /** What was stored in {@code topic}, or null when nothing was counted for it. */
  public StatsItem topicPuts(String topic) {
    return topicPuts.get(topic);
  }

  /** What {@code group} pulled of {@code topic}, or null when nothing was counted for them. */
  public StatsItem groupGets(String topic, String group) {
    Map<String, StatsItem> byGroup = groupGets.get(topic);
    return byGroup == null ? null : byGroup.get(group);
  }

  /** Forgets the items of a topic (deleted): its puts and every group's gets of it. */
  public void removeTopic(String topic) {
    topicPuts.remove(topic);
    groupGets.remove(topic);
  }

  /** Forgets a consumer group's items (deleted). */
  public void removeGroup(String group) {
    groupGets.values().forEach(byGroup -> byGroup.remove(group));
  }

  /**
   * Takes a one-second sample of the broker's totals, rolls the daily totals at local midnight and
   * snapshots every item into each window whose period has passed.
   */
  public synchronized void sample(long nowMillis) {
    sampleWindows(nowMillis);
    long p = put.messages();
    long g = got.messages();
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
    return put.messages();
  }

  public long getTotal() {
    return got.messages();
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

  private void sampleWindows(long now) {
    for (StatsItem.Window w : StatsItem.Window.values()) {
      long last = lastWindowSample[w.ordinal()];
      if (last != Long.MIN_VALUE && now - last < w.period) {
        continue;
      }
      lastWindowSample[w.ordinal()] = now;
      forEachItem(item -> item.sample(w, now));
    }
  }

  private void forEachItem(Consumer<StatsItem> f) {
    f.accept(put);
    f.accept(got);
    topicPuts.values().forEach(f);
    groupGets.values().forEach(byGroup -> byGroup.values().forEach(f));
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
