package dev.apogee.store.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every consume queue of the store, by topic and queue id, under {@code consumequeue/<topic>/<id>}.
 *
 * <p>Threading: lookups from any thread; queues are created by the dispatcher (the single writer).
 */
public final class ConsumeQueueTable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeQueueTable.class);

  /** The list of queues ever created, so a queue deleted behind the store's back is noticed. */
  private static final String MANIFEST = "queues.list";

  private final Path root;
  private boolean truncatedOnLoad;
  private final int fileSize;
  private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, ConsumeQueue>> table =
      new ConcurrentHashMap<>();

  public ConsumeQueueTable(Path root, int fileSize) {
    this.root = root;
    this.fileSize = fileSize;
  }

  /**
   * Maps every queue on disk, dropping units at or past {@code commitLogEnd}. Returns true when
   * queues must be rebuilt from the log: a listed queue is missing, a queue file is unreadable, or
   * the list itself is gone while the log holds data ({@code logHasData}).
   */
  public boolean load(long commitLogEnd, boolean logHasData) {
    boolean rebuild = false;
    try {
      Files.createDirectories(root);
      Set<String> listed = readManifest();
      if (listed == null) {
        rebuild = logHasData;
        listed = Set.of();
      }
      List<Path> topics;
      try (Stream<Path> s = Files.list(root)) {
        topics = s.filter(Files::isDirectory).toList();
      }
      for (Path t : topics) {
        List<Path> queues;
        try (Stream<Path> s = Files.list(t)) {
          queues = s.filter(p -> p.getFileName().toString().matches("\\d+")).toList();
        }
        for (Path q : queues) {
          String topic = t.getFileName().toString();
          int queueId = Integer.parseInt(q.getFileName().toString());
          ConsumeQueue cq = new ConsumeQueue(topic, queueId, q, fileSize);
          try {
            truncatedOnLoad |= cq.load(commitLogEnd);
          } catch (RuntimeException e) {
            LOG.warn(
                "consume queue {}/{} is unreadable ({}): dropped", topic, queueId, e.getMessage());
            cq.destroy();
            rebuild = true;
            continue;
          }
          table.computeIfAbsent(topic, k -> new ConcurrentHashMap<>()).put(queueId, cq);
        }
      }
      for (String entry : listed) {
        int tab = entry.lastIndexOf('\t');
        if (find(entry.substring(0, tab), Integer.parseInt(entry.substring(tab + 1))) == null) {
          LOG.warn("consume queue {} is missing", entry.replace('\t', '/'));
          rebuild = true;
        }
      }
      if (rebuild || listed.size() != all().size()) {
        rewriteManifest();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load consume queues under " + root, e);
    }
    return rebuild;
  }

  private Set<String> readManifest() throws IOException {
    Path m = root.resolve(MANIFEST);
    if (!Files.exists(m)) {
      return null;
    }
    Set<String> out = new HashSet<>();
    for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
      if (line.indexOf('\t') > 0) {
        out.add(line);
      }
    }
    return out;
  }

  /** Replaces the list of queues atomically (temp file, fsync, rename). */
  private synchronized void rewriteManifest() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (ConsumeQueue cq : all()) {
      sb.append(cq.topic()).append('\t').append(cq.queueId()).append('\n');
    }
    Path tmp = root.resolve(MANIFEST + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, root.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Records a new queue in the list before any unit is written to it. */
  private synchronized void appendManifest(String topic, int queueId) {
    try (FileChannel ch =
        FileChannel.open(
            root.resolve(MANIFEST),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap((topic + "\t" + queueId + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record queue " + topic + "/" + queueId, e);
    }
  }

  /** Removes and deletes one queue (damaged). */
  public void drop(ConsumeQueue cq) {
    ConcurrentHashMap<Integer, ConsumeQueue> qs = table.get(cq.topic());
    if (qs != null && qs.remove(cq.queueId(), cq)) {
      cq.destroy();
    }
  }

  /** True when loading dropped units that pointed past the commit log's end. */
  public boolean truncatedOnLoad() {
    return truncatedOnLoad;
  }

  /** The queue, or null. Any thread. */
  public ConsumeQueue find(String topic, int queueId) {
    ConcurrentHashMap<Integer, ConsumeQueue> qs = table.get(topic);
    return qs == null ? null : qs.get(queueId);
  }

  /** The queue, created when missing. Writer only. */
  public ConsumeQueue findOrCreate(String topic, int queueId) {
    ConsumeQueue cq = find(topic, queueId);
    if (cq != null) {
      return cq;
    }
    return table
        .computeIfAbsent(topic, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            queueId,
            id -> {
              appendManifest(topic, id);
              return new ConsumeQueue(
                  topic, id, root.resolve(topic).resolve(Integer.toString(id)), fileSize);
            });
  }

  /** Every queue. Any thread (a snapshot). */
  public List<ConsumeQueue> all() {
    List<ConsumeQueue> out = new ArrayList<>();
    table.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /** Queues of one topic (empty when unknown). */
  public List<ConsumeQueue> ofTopic(String topic) {
    ConcurrentHashMap<Integer, ConsumeQueue> qs = table.get(topic);
    return qs == null ? List.of() : new ArrayList<>(qs.values());
  }

  /** Removes and deletes a topic's queues. */
  public void destroyTopic(String topic) {
    ConcurrentHashMap<Integer, ConsumeQueue> qs = table.remove(topic);
    if (qs != null) {
      qs.values().forEach(ConsumeQueue::destroy);
      try {
        rewriteManifest();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot rewrite the queue list", e);
      }
      try {
        Files.deleteIfExists(root.resolve(topic));
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", root.resolve(topic), e.toString());
      }
    }
  }

  public void close() {
    table.values().forEach(m -> m.values().forEach(ConsumeQueue::close));
  }
}
