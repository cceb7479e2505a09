package dev.apogee.broker;

import java.util.concurrent.atomic.LongAdder;

/**
 * The traffic of one stats key (a topic, a topic and consumer group, or the whole broker):
 * messages, bytes and the requests that carried them, with RocketMQ's three windows over them. One
 * item backs both of RocketMQ's items of a key, {@code *_NUMS} (messages) and {@code *_SIZE}
 * (bytes).
 *
 * <p>Windows work as RocketMQ's: a snapshot of the counters every 10 s keeps the last minute (7
 * snapshots), one every 10 min the last hour (7), one every hour the last day (25); the first
 * snapshot of a window is preceded by a zero one a period earlier, so a young item shows everything
 * it counted. A window's figures run from its oldest snapshot to the counters now (RocketMQ stops
 * at its newest snapshot, up to one period behind): the sum, per second over that span, and per
 * request.
 *
 * <p>Threading: {@link #add} is a few {@link LongAdder} increments, from any thread, without locks
 * or allocation. {@link #sample} runs on one thread at a time (the broker's stats timer); {@link
 * #figures} may run on any thread. The snapshot rings are guarded by their own monitors, which the
 * counting path never takes.
 */
public final class StatsItem {
  /** RocketMQ's three windows: how often each is sampled and how many snapshots it keeps. */
  public enum Window {
    MINUTE(10_000, 7),
    HOUR(600_000, 7),
    DAY(3_600_000, 25);

    final long period;
    final int snapshots;

    Window(long period, int snapshots) {
      this.period = period;
      this.snapshots = snapshots;
    }
  }

  /** What a figure counts. */
  public enum Measure {
    MESSAGES,
    BYTES
  }

  /**
   * One window's figures, RocketMQ's {@code StatsSnapshot}.
   *
   * @param sum messages or bytes counted in the window
   * @param tps {@code sum} per second of the window's span
   * @param avgpt {@code sum} per request (0 without requests)
   */
  public record Figures(long sum, double tps, double avgpt) {}

  private final LongAdder messages = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final Ring[] rings = new Ring[Window.values().length];

  StatsItem() {
    for (Window w : Window.values()) {
      rings[w.ordinal()] = new Ring(w.snapshots);
    }
  }

  /** Counts one request that carried {@code n} messages of {@code size} bytes in all. */
  public void add(int n, long size) {
    messages.add(n);
    bytes.add(size);
    requests.increment();
  }

  /** Messages counted since the item was made. */
  public long messages() {
    return messages.sum();
  }

  /** Bytes counted since the item was made. */
  public long bytes() {
    return bytes.sum();
  }

  /** Takes a snapshot into {@code window}'s ring. */
  void sample(Window window, long now) {
    Ring r = rings[window.ordinal()];
    synchronized (r) {
      if (r.count == 0) {
        r.add(now - window.period, 0, 0, 0);
      }
      r.add(now, requests.sum(), messages.sum(), bytes.sum());
    }
  }

  /** The figures of {@code window} from its oldest snapshot to now. */
  public Figures figures(Window window, Measure measure, long now) {
    long at;
    long firstRequests;
    long first;
    Ring r = rings[window.ordinal()];
    synchronized (r) {
      if (r.count == 0) {
        // Not sampled yet: as from the zero snapshot its first sample will add.
        at = now - window.period;
        firstRequests = 0;
        first = 0;
      } else {
        int i = r.oldest();
        at = r.at[i];
        firstRequests = r.requests[i];
        first = measure == Measure.MESSAGES ? r.messages[i] : r.bytes[i];
      }
    }
    long sum = (measure == Measure.MESSAGES ? messages.sum() : bytes.sum()) - first;
    long calls = requests.sum() - firstRequests;
    long span = now - at;
    double tps = span > 0 ? sum * 1000.0 / span : 0.0;
    double avgpt = calls > 0 ? (double) sum / calls : 0.0;
    return new Figures(sum, tps, avgpt);
  }

  /** Fixed-size ring of snapshots, oldest overwritten. Guarded by its own monitor. */
  private static final class Ring {
    final long[] at;
    final long[] requests;
    final long[] messages;
    final long[] bytes;
    int next;
    int count;

    Ring(int size) {
      at = new long[size];
      requests = new long[size];
      messages = new long[size];
      bytes = new long[size];
    }

    void add(long t, long req, long msgs, long size) {
      at[next] = t;
      requests[next] = req;
      messages[next] = msgs;
      bytes[next] = size;
      next = (next + 1) % at.length;
      count = Math.min(count + 1, at.length);
    }

    int oldest() {
      return count < at.length ? 0 : next;
    }
  }
}
