package dev.apogee.broker.topic;

import dev.apogee.broker.state.JsonFile;
import dev.apogee.protocol.BodyFormatException;
import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.JsonBody;
import dev.apogee.protocol.JsonIn;
import dev.apogee.protocol.JsonOut;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.protocol.TopicConfigSerializeWrapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's topics: system topics made at start, topics created by admin requests, and topics
 * created on first send from a default topic with the INHERIT permission (RocketMQ's TBW102,
 * protocol doc 2.3–2.4). Saved to {@code config/topics.json}; every change bumps the data version
 * and tells the change listener, so the broker re-registers with its name servers at once.
 *
 * <p>Thread-safe. Lookups and creations come from event loops: a creation changes memory at once
 * and its save runs on the given executor (a worker), never on the caller's thread.
 */
public final class TopicConfigManager {
  private static final Logger LOG = LoggerFactory.getLogger(TopicConfigManager.class);

  /** The body saved in {@code topics.json}; either field may be absent from a file. */
  record Saved(Map<String, TopicConfig> topicConfigTable, DataVersion dataVersion)
      implements JsonBody {

    @Override
    public void writeJson(JsonOut out) {
      out.beginObject()
          .field("dataVersion", dataVersion)
          .field("topicConfigTable", topicConfigTable, JsonOut::value)
          .endObject();
    }

    static Saved readJson(JsonIn in) {
      Map<String, TopicConfig> topicConfigTable = null;
      DataVersion dataVersion = null;
      in.beginObject("TopicConfigSerializeWrapper");
      while (in.nextField()) {
        switch (in.fieldName()) {
          case "topicConfigTable" -> topicConfigTable = in.map(TopicConfig::readJson);
          case "dataVersion" -> dataVersion = in.object(DataVersion::readJson);
          default -> in.skipValue();
        }
      }
      return new Saved(topicConfigTable, dataVersion);
    }
  }

  private final JsonFile file;
  private final Executor persistExecutor;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, TopicConfig> topics = new ConcurrentHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final AtomicBoolean saveScheduled = new AtomicBoolean();
  private volatile DataVersion dataVersion;
  private volatile Runnable changeListener = () -> {};

  public TopicConfigManager(JsonFile file, Executor persistExecutor, LongSupplier clock) {
    this.file = file;
    this.persistExecutor = persistExecutor;
    this.clock = clock;
    this.dataVersion = new DataVersion(clock.getAsLong(), 0, 0);
  }

  /** Called after each change (on the changing thread): the broker re-registers. */
  public void onChange(Runnable listener) {
    this.changeListener = listener;
  }

  /**
   * Loads saved topics, then adds the system topics: TBW102 (perm 7, {@code defaultQueueNums}
   * queues) when auto-creation is on, and the self-test, offset-moved, cluster and broker name
   * topics, as an official broker has them.
   */
  public void load(
      boolean autoCreateTopicEnable, int defaultQueueNums, String cluster, String brokerName) {
    byte[] content = file.read();
    if (content != null) {
      Saved saved;
      try {
        saved = ProtocolJson.readTolerant(content, Saved::readJson);
      } catch (BodyFormatException e) {
        throw new IllegalStateException(
            "cannot read topics from " + file.path() + ": " + e.getMessage(), e);
      }
      if (saved.topicConfigTable() != null) {
        topics.putAll(saved.topicConfigTable());
      }
      if (saved.dataVersion() != null) {
        dataVersion = saved.dataVersion();
        counter.set(saved.dataVersion().counter());
      }
    }
    int rw = Perm.READ | Perm.WRITE;
    if (autoCreateTopicEnable) {
      putSystem(
          TopicConfig.of(
              TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
              defaultQueueNums,
              defaultQueueNums,
              Perm.INHERIT | rw));
    } else {
      topics.remove(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC);
    }
    putSystem(TopicConfig.of(TopicValidator.SELF_TEST_TOPIC, 1, 1, rw));
    putSystem(TopicConfig.of(TopicValidator.OFFSET_MOVED_EVENT, 1, 1, rw));
    putSystem(TopicConfig.of(cluster, 16, 16, Perm.INHERIT | rw));
    putSystem(TopicConfig.of(brokerName, 1, 1, Perm.INHERIT | rw));
  }

  private void putSystem(TopicConfig t) {
    topics.putIfAbsent(t.topicName(), t);
  }

  /** The topic, or null. */
  public TopicConfig find(String topic) {
    return topics.get(topic);
  }

  /**
   * Creates {@code topic} from {@code defaultTopic} as RocketMQ does for a first send: only when
   * the default topic exists and has the INHERIT permission; the new topic gets {@code
   * min(queueNums, default's write queues)} queues and the default's permission without INHERIT.
   * Returns the (possibly already existing) topic, or null when it may not be created.
   */
  public TopicConfig createFromDefault(String topic, String defaultTopic, int queueNums) {
    TopicConfig existing = topics.get(topic);
    if (existing != null) {
      return existing;
    }
    TopicConfig def = defaultTopic == null ? null : topics.get(defaultTopic);
    if (def == null || !Perm.isInherited(def.perm())) {
      return null;
    }
    int n = Math.max(1, Math.min(queueNums, def.writeQueueNums()));
    return create(TopicConfig.of(topic, n, n, def.perm() & ~Perm.INHERIT));
  }

  /** Creates a topic with {@code queueNums} queues and {@code perm} unless it exists. */
  public TopicConfig createIfAbsent(String topic, int queueNums, int perm) {
    TopicConfig existing = topics.get(topic);
    return existing != null ? existing : create(TopicConfig.of(topic, queueNums, queueNums, perm));
  }

  private TopicConfig create(TopicConfig t) {
    TopicConfig prev = topics.putIfAbsent(t.topicName(), t);
    if (prev != null) {
      return prev;
    }
    LOG.info("created topic {} ({} queues, perm {})", t.topicName(), t.writeQueueNums(), t.perm());
    changed();
    return t;
  }

  /** Creates or replaces a topic (UPDATE_AND_CREATE_TOPIC). */
  public void update(TopicConfig t) {
    topics.put(t.topicName(), t);
    changed();
  }

  /** Deletes a topic; true when it existed. */
  public boolean delete(String topic) {
    boolean removed = topics.remove(topic) != null;
    if (removed) {
      changed();
    }
    return removed;
  }

  /** Every topic (a copy). */
  public List<TopicConfig> all() {
    return new ArrayList<>(topics.values());
  }

  public DataVersion dataVersion() {
    return dataVersion;
  }

  /**
   * The table and data version as the name server registration and GET_ALL_TOPIC_CONFIG carry it.
   */
  public TopicConfigSerializeWrapper snapshot() {
    return new TopicConfigSerializeWrapper(new TreeMap<>(topics), dataVersion);
  }

  private void changed() {
    dataVersion = new DataVersion(clock.getAsLong(), counter.incrementAndGet(), 0);
    if (saveScheduled.compareAndSet(false, true)) {
      persistExecutor.execute(
          () -> {
            saveScheduled.set(false);
            persist();
          });
    }
    changeListener.run();
  }

  /** Saves now (blocking). */
  public void persist() {
    file.write(ProtocolJson.write(new Saved(new TreeMap<>(topics), dataVersion)));
  }
}
