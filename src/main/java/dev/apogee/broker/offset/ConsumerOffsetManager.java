package dev.apogee.broker.offset;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apogee.broker.state.JsonFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
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
 * broker calls it periodically and at shutdown) and loaded at start.
 *
 * <p>Thread-safe: commits and queries come from every event loop; {@link #persist()} may run on a
 * worker concurrently with commits (it saves a consistent-enough snapshot: each queue's value is
 * one that was committed).
 */
public final class ConsumerOffsetManager {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEPARATOR = "@";

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
    try {
      Map<String, Map<String, Map<String, Long>>> root =
          JSON.readValue(content, new TypeReference<>() {});
      Map<String, Map<String, Long>> t = root.getOrDefault("offsetTable", Map.of());
      t.forEach(
          (k, queues) -> {
            ConcurrentHashMap<Integer, Long> m = new ConcurrentHashMap<>();
            queues.forEach((q, o) -> m.put(Integer.parseInt(q), o));
            table.put(k, m);
          });
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException(
          "cannot read consumer offsets from " + file.path() + ": " + e.getMessage(), e);
    }
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
    Map<String, Map<String, Long>> snapshot = new TreeMap<>();
    table.forEach(
        (k, m) -> {
          Map<String, Long> q =
              new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
          m.forEach((id, o) -> q.put(Integer.toString(id), o));
          snapshot.put(k, q);
        });
    Map<String, Object> root = new HashMap<>();
    root.put("offsetTable", snapshot);
    try {
      file.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      dirty.set(true);
      throw new UncheckedIOException("cannot encode consumer offsets", e);
    } catch (RuntimeException e) {
      dirty.set(true);
      throw e;
    }
    return true;
  }
}
