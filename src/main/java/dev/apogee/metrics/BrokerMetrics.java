package dev.apogee.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The broker's Prometheus series (names in README, "Metrics"): messages and bytes in and out per
 * topic, send, pull and flush latency, consumer lag per group and topic, commit log size, disk use,
 * dispatch backlog and client connections by kind.
 *
 * <p>Counting costs one map lookup and two adder increments per request. Per-topic series are
 * bounded: the first {@code maxTopics} topics get their own, later ones share {@code
 * topic="_other"}, and the series of a topic that no longer exists are removed at the next scrape.
 * Gauges read their {@link Sources} only when scraped. Thread-safe.
 */
public final class BrokerMetrics {
  /** The shared label value of topics beyond the per-topic limit. */
  public static final String OTHER_TOPIC = "_other";

  /** What the gauges read, supplied by the broker. Called on the scraping thread. */
  public interface Sources {
    long commitLogBytes();

    double diskUsedRatio();

    long dispatchBacklogBytes();

    /** Distinct connected clients of {@code kind} ("producer" or "consumer"). */
    int clients(String kind);

    /** Messages not yet consumed, per consumer group and topic that has committed offsets. */
    List<Lag> lag();

    /** Topics that exist now (per-topic series of others are dropped). */
    Set<String> topics();
  }

  /** One consumer group's backlog on one topic. */
  public record Lag(String group, String topic, long messages) {}

  private record TopicMeters(Counter msgsIn, Counter bytesIn, Counter msgsOut, Counter bytesOut) {}

  private final PrometheusMeterRegistry registry;
  private final int maxTopics;
  private final ConcurrentHashMap<String, TopicMeters> topics = new ConcurrentHashMap<>();
  private final TopicMeters other;
  private final Timer sendLatency;
  private final Timer pullLatency;
  private final Timer flushLatency;
  private final MultiGauge lag;
  private volatile Sources sources;

  /**
   * Series in {@code registry} (Vert.x's own when its Micrometer metrics are on, so one scrape
   * shows both), or in a new registry when null.
   */
  public BrokerMetrics(PrometheusMeterRegistry registry, int maxTopics) {
    this.registry =
        registry != null ? registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.maxTopics = maxTopics;
    this.other = meters(OTHER_TOPIC);
    this.sendLatency = latency("apogee.send.latency", "Time from a send request to its answer");
    this.pullLatency =
        latency("apogee.pull.latency", "Time to answer a pull that found messages or none");
    this.flushLatency = latency("apogee.flush.latency", "Time of one commit log fsync");
    this.lag =
        MultiGauge.builder("apogee.consumer.lag")
            .description("Messages a consumer group has not consumed yet, per topic")
            .baseUnit("messages")
            .register(this.registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Starts the gauges that read the broker's state. */
  public void bind(Sources s) {
    this.sources = s;
    Gauge.builder("apogee.commitlog", this, m -> m.read(Sources::commitLogBytes))
        .description("Bytes held in the commit log files")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("apogee.disk.used.ratio", this, m -> m.read(Sources::diskUsedRatio))
        .description("Used share of the disk holding the commit log")
        .register(registry);
    Gauge.builder("apogee.dispatch.backlog", this, m -> m.read(Sources::dispatchBacklogBytes))
        .description("Commit log bytes not yet in consume queues and the index")
        .baseUnit("bytes")
        .register(registry);
    for (String kind : List.of("producer", "consumer")) {
      Gauge.builder("apogee.clients", this, m -> m.read(src -> src.clients(kind)))
          .description("Distinct connected clients by kind")
          .tag("kind", kind)
          .register(registry);
    }
  }

  /** Counts {@code n} messages of {@code bytes} stored in {@code topic}. */
  public void messagesIn(String topic, int n, long bytes) {
    TopicMeters m = forTopic(topic);
    m.msgsIn.increment(n);
    m.bytesIn.increment(bytes);
  }

  /** Counts {@code n} messages of {@code bytes} handed to consumers of {@code topic}. */
  public void messagesOut(String topic, int n, long bytes) {
    TopicMeters m = forTopic(topic);
    m.msgsOut.increment(n);
    m.bytesOut.increment(bytes);
  }

  public void sendLatency(long nanos) {
    sendLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void pullLatency(long nanos) {
    pullLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void flushLatency(long nanos) {
    flushLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The Prometheus text exposition, gauges and per-topic series brought up to date first. */
  public String scrape() {
    Sources s = sources;
    if (s != null) {
      refresh(s);
    }
    return registry.scrape();
  }

  private void refresh(Sources s) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (Lag l : s.lag()) {
      rows.add(MultiGauge.Row.of(Tags.of("group", l.group(), "topic", l.topic()), l.messages()));
    }
    // Overwrite: rows of deleted groups and topics disappear with them.
    lag.register(rows, true);
    Set<String> live = s.topics();
    for (String topic : topics.keySet()) {
      if (!live.contains(topic)) {
        TopicMeters gone = topics.remove(topic);
        if (gone != null) {
          for (Meter m : List.of(gone.msgsIn, gone.bytesIn, gone.msgsOut, gone.bytesOut)) {
            registry.remove(m);
          }
        }
      }
    }
  }

  private TopicMeters forTopic(String topic) {
    TopicMeters m = topics.get(topic);
    if (m != null) {
      return m;
    }
    if (topics.size() >= maxTopics) {
      return other;
    }
    return topics.computeIfAbsent(topic, this::meters);
  }

  private TopicMeters meters(String topic) {
    return new TopicMeters(
        counter("apogee.messages.in", "Messages stored", topic),
        counter("apogee.bytes.in", "Message bytes stored (records as stored)", topic),
        counter("apogee.messages.out", "Messages handed to consumers", topic),
        counter("apogee.bytes.out", "Message bytes handed to consumers", topic));
  }

  private Counter counter(String name, String description, String topic) {
    return Counter.builder(name).description(description).tag("topic", topic).register(registry);
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  private double read(ToDoubleFunction<Sources> f) {
    Sources s = sources;
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }
}
