package dev.apogee.client.impl;

import dev.apogee.client.ConsumeFromWhere;
import dev.apogee.client.MessageQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A broadcasting consumer's offsets, kept by the consumer itself: in memory, and in {@code
 * <dir>/<group>/offsets.json} when a directory is given (written through a temp file and a rename,
 * with Vert.x's asynchronous file system); a broadcasting push consumer's {@link ConsumerOffsets}.
 * Confined to the consumer's context.
 */
final class LocalOffsetStore implements ConsumerOffsets {
  private final FileSystem fs;
  private final BrokerOffsets bounds;
  private final String file;
  private final Map<MessageQueue, Long> offsets = new HashMap<>();
  private boolean dirty;
  private Future<Void> lastWrite = Future.succeededFuture();

  /**
   * @param dir the directory, or null to keep offsets in memory only
   * @param bounds where to ask for a queue's bounds when it has no offset yet
   */
  LocalOffsetStore(Vertx vertx, String dir, String group, BrokerOffsets bounds) {
    this.fs = vertx.fileSystem();
    this.bounds = bounds;
    this.file = dir == null ? null : Path.of(dir, group, "offsets.json").toString();
  }

  /** Reads the file, if there is one. */
  Future<Void> load() {
    if (file == null) {
      return Future.succeededFuture();
    }
    return fs.exists(file)
        .compose(exists -> exists ? fs.readFile(file).map(this::parse) : Future.succeededFuture());
  }

  private Void parse(Buffer bytes) {
    JsonArray list = new JsonObject(bytes).getJsonArray("offsets", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject o = list.getJsonObject(i);
      offsets.put(
          new MessageQueue(
              o.getString("topic"), o.getString("brokerName"), o.getInteger("queueId")),
          o.getLong("offset"));
    }
    return null;
  }

  @Override
  public Future<Long> start(ProcessQueue pq, ConsumeFromWhere from, long timestamp) {
    Long stored = offsets.get(pq.mq);
    return stored != null ? Future.succeededFuture(stored) : bounds.initial(pq.mq, from, timestamp);
  }

  @Override
  public Future<Void> commit(ProcessQueue pq, boolean confirmed) {
    long offset = pq.committable();
    Long old = offsets.put(pq.mq, offset);
    if (old == null || old != offset) {
      dirty = true;
    }
    return Future.succeededFuture();
  }

  @Override
  public long piggyback(ProcessQueue pq) {
    return 0;
  }

  /**
   * Writes the file when something changed since the last write; writes run one after another, each
   * with the offsets as they were when it was asked for.
   */
  @Override
  public Future<Void> flush() {
    if (file == null || !dirty) {
      return lastWrite;
    }
    dirty = false;
    JsonArray list = new JsonArray();
    offsets.forEach(
        (mq, offset) ->
            list.add(
                new JsonObject()
                    .put("topic", mq.topic())
                    .put("brokerName", mq.brokerName())
                    .put("queueId", mq.queueId())
                    .put("offset", offset)));
    Buffer content = new JsonObject().put("offsets", list).toBuffer();
    lastWrite = lastWrite.transform(previous -> write(content));
    return lastWrite;
  }

  private Future<Void> write(Buffer content) {
    String tmp = file + ".tmp";
    return fs.mkdirs(Path.of(file).getParent().toString())
        .compose(v -> fs.writeFile(tmp, content))
        .compose(
            v -> fs.move(tmp, file, new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
        .onFailure(e -> dirty = true);
  }
}
