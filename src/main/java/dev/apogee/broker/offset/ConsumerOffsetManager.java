package dev.apogee.broker.offset;

import dev.apogee.broker.state.JsonFile;
import dev.apogee.protocol.BodyFormatException;
import dev.apogee.protocol.JsonIn;
import dev.apogee.protocol.JsonOut;
import dev.apogee.protocol.ProtocolJson;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Committed consumer offsets: for each {@code topic@group} and queue, the queue offset of the next
 * message the group will consume. Kept in memory, saved to {@code config/consumerOffset.json} in
 * RocketMQ's shape ({@code {"offsetTable":{"topic@group":{"0":5}}}}) by {@link #persist()} (the
 * broker calls it periodically and at shutdown) and loaded at start. A file RocketMQ wrote loads
 * too: its unquoted queue ids are read and its other fields skipped.
 *
 * <p>Thread-safe: commits and queries come from every event loop; {@link #persist()} may run on a
 * worker concurrently with commits (it saves a consistent-enough snapshot: each queue's value is
 * one that was committed).
 */
public final class ConsumerOffsetManager {
  private static final String SEPARATOR = "@";
  private static final String TABLE = "offsetTable";

  private final JsonFile file;
  private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, Long>> table =
      new ConcurrentHashMap<>();
  private final AtomicBoolean dirty = new AtomicBoolean();

  public ConsumerOffsetManager(JsonFile file) {
    this.file = file;
  }

  private static String key(String topic, String group) {
    return topic + SEPARATOR + group;
  }

  /** Loads the saved offsets (none when the file does not exist). */
  public void load() {
    byte[] content = file.read();
    if (content == null) {
      return;
    }
    Map<String, Map<Integer, Long>> saved;
    try {
      saved = ProtocolJson.readTolerant(content, ConsumerOffsetManager::readTable);
    } catch (BodyFormatException e) {
      throw new IllegalStateException(
          "cannot read consumer offsets from " + file.path() + ": " + e.getMessage(), e);
    }
    saved.forEach((k, queues) -> table.put(k, new ConcurrentHashMap<>(queues)));
  }

  private static Map<String, Map<Integer, Long>> readTable(JsonIn in) {
    Map<String, Map<Integer, Long>> offsets = null;
    in.beginObject("ConsumerOffsetManager");
    while (in.nextField()) {
      if (in.fieldName().equals(TABLE)) {
        offsets = in.map(queues -> queues.map(Integer::valueOf, JsonIn::longValue));
      } else {
        in.skipValue();
      }
    }
    return offsets == null ? Map.of() : offsets;
  }

  /** Records {@code offset} as the group's committed offset of a queue (last write wins). */
  public void commit(String group, String topic, int queueId, long offset) {
    table.computeIfAbsent(key(topic, group), k -> new ConcurrentHashMap<>()).put(queueId, offset);
    dirty.set(true);
  }

  /** The committed offset, or -1 when the group has none for that queue. */
  public long query(String group, String topic, int queueId) {
    ConcurrentHashMap<Integer, Long> m = table.get(key(topic, group));
    if (m == null) {
      return -1;
    }
    Long o = m.get(queueId);
    return o == null ? -1 : o;
  }

  /** Offsets of a group on a topic, by queue (a copy; empty when none). */
  public Map<Integer, Long> offsets(String group, String topic) {
    ConcurrentHashMap<Integer, Long> m = table.get(key(topic, group));
    return m == null ? Map.of() : new TreeMap<>(m);
  }

  /** Topics a group has committed offsets for. */
  public Set<String> topicsOf(String group) {
    Set<String> out = new LinkedHashSet<>();
    for (String k : table.keySet()) {
      int at = k.lastIndexOf(SEPARATOR);
      if (k.substring(at + 1).equals(group)) {
        out.add(k.substring(0, at));
      }
    }
    return out;
  }

  /** Groups that have committed offsets for a topic. */
  public Set<String> groupsOf(String topic) {
    Set<String> out = new LinkedHashSet<>();
    for (String k : table.keySet()) {
      int at = k.lastIndexOf(SEPARATOR);
      if (k.substring(0, at).equals(topic)) {
        out.add(k.substring(at + 1));
      }
    }
    return out;
  }

  /**
   * Gives {@code destGroup} the offsets {@code srcGroup} committed on {@code topic}, replacing what
   * {@code destGroup} had there; saved with the next {@link #persist()}. Nothing changes when the
   * source has no offsets on the topic.
   *
   * @return the queues copied
   */
  public int cloneOffsets(String srcGroup, String destGroup, String topic) {
    ConcurrentHashMap<Integer, Long> src = table.get(key(topic, srcGroup));
    if (src == null || src.isEmpty()) {
      return 0;
    }
    ConcurrentHashMap<Integer, Long> copy = new ConcurrentHashMap<>(src);
    table.put(key(topic, destGroup), copy);
    dirty.set(true);
    return copy.size();
  }

  /** Forgets every group's offsets of a topic (topic deleted). */
  public void removeTopic(String topic) {
    if (table.keySet().removeIf(k -> k.substring(0, k.lastIndexOf(SEPARATOR)).equals(topic))) {
      dirty.set(true);
    }
  }

  /** Forgets a group's offsets (group deleted). */
  public void removeGroup(String group) {
    if (table.keySet().removeIf(k -> k.substring(k.lastIndexOf(SEPARATOR) + 1).equals(group))) {
      dirty.set(true);
    }
  }

  /** Saves the table when it changed since the last save; returns whether it wrote. Blocking. */
  public boolean persist() {
    if (!dirty.getAndSet(false)) {
      return false;
    }
    Map<String, Map<Integer, Long>> snapshot = new TreeMap<>();
    table.forEach((k, m) -> snapshot.put(k, new TreeMap<>(m)));
    try {
      file.write(
          ProtocolJson.writePretty(
              out ->
                  out.beginObject()
                      .field(TABLE, snapshot, (o, queues) -> o.map(queues, JsonOut::value))
                      .endObject()));
    } catch (RuntimeException e) {
      dirty.set(true);
      throw e;
    }
    return true;
  }
}
