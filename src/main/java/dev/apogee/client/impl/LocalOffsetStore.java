package dev.apogee.client.impl;

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
 * with Vert.x's asynchronous file system). Confined to the consumer's context.
 */
final class LocalOffsetStore {
  private final FileSystem fs;
  private final String file;
  private final Map<MessageQueue, Long> offsets = new HashMap<>();
  private boolean dirty;

  /**
   * @param dir the directory, or null to keep offsets in memory only
   */
  LocalOffsetStore(Vertx vertx, String dir, String group) {
    this.fs = vertx.fileSystem();
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

  /** The stored offset of {@code mq}, or -1. */
  long get(MessageQueue mq) {
    return offsets.getOrDefault(mq, -1L);
  }

  void put(MessageQueue mq, long offset) {
    Long old = offsets.put(mq, offset);
    if (old == null || old != offset) {
      dirty = true;
    }
  }

  /** Writes the file when something changed since the last write. */
  Future<Void> save() {
    if (file == null || !dirty) {
      return Future.succeededFuture();
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
    String tmp = file + ".tmp";
    return fs.mkdirs(Path.of(file).getParent().toString())
        .compose(v -> fs.writeFile(tmp, new JsonObject().put("offsets", list).toBuffer()))
        .compose(
            v -> fs.move(tmp, file, new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
        .onFailure(e -> dirty = true);
  }
}
