package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.MessageStore;
import dev.apogee.store.log.SelectedRecord;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * QUERY_MESSAGE and VIEW_MESSAGE_BY_ID (protocol doc 2.7): messages found by key or unique key in
 * the index, or the one record at a commit log offset, answered with the stored records themselves
 * (layout 3.3). The lookups touch index and commit log files that may be cold, so they run on a
 * worker; the records are copied into the answer and let go there.
 *
 * <p>Stateless; called on event loops.
 */
public final class QueryMessageProcessor {
  /** Every query is capped at RocketMQ's {@code maxMsgsNumBatch}. */
  static final int MAX_QUERY_NUM = 64;

  /** RocketMQ's {@code defaultQueryMaxNum}, forced for unique-key queries. */
  static final int UNIQUE_KEY_QUERY_NUM = 32;

  /** The ext field that marks a query by unique key (RocketMQ's {@code UNIQUE_MSG_QUERY_FLAG}). */
  static final String UNIQUE_KEY_QUERY = "_UNIQUE_KEY_QUERY";

  private final BrokerServices broker;

  public QueryMessageProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  /** What a query found: the records' bytes, and where the index stood. */
  private record Found(
      byte[] records, long indexLastUpdateTimestamp, long indexLastUpdatePhyOffset) {}

  public Future<RemotingCommand> queryMessage(Connection c, RemotingCommand req) {
    String topic;
    String key;
    int maxNum;
    long begin;
    long end;
    try {
      Map<String, String> ext = req.extFields();
      topic = Headers.string(ext, "topic");
      key = Headers.string(ext, "key");
      maxNum = Headers.integer(ext, "maxNum");
      begin = Headers.longValue(ext, "beginTimestamp");
      end = Headers.longValue(ext, "endTimestamp");
      if (Headers.bool(ext, UNIQUE_KEY_QUERY, false)) {
        maxNum = UNIQUE_KEY_QUERY_NUM;
      }
    } catch (RequestException e) {
      return Future.succeededFuture(RemotingCommand.responseTo(req, e.code(), e.remark()));
    }
    int limit = Math.max(1, Math.min(maxNum, MAX_QUERY_NUM));
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(() -> query(store, topic, key, limit, begin, end), false)
        .map(
            found -> {
              RemotingCommand r =
                  found.records().length == 0
                      ? RemotingCommand.responseTo(
                          req,
                          ResponseCode.QUERY_NOT_FOUND,
                          "can not find message, maybe time range not correct")
                      : RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
                          .setBody(found.records());
              return r.putExt("indexLastUpdateTimestamp", found.indexLastUpdateTimestamp())
                  .putExt("indexLastUpdatePhyoffset", found.indexLastUpdatePhyOffset());
            });
  }

  private static Found query(
      MessageStore store, String topic, String key, int limit, long begin, long end) {
    MessageStore.QueryResult q = store.queryByKey(topic, key, limit, begin, end);
    try {
      int size = 0;
      for (SelectedRecord r : q.records()) {
        size += r.buffer().remaining();
      }
      ByteBuffer out = ByteBuffer.allocate(size);
      for (SelectedRecord r : q.records()) {
        out.put(r.buffer().duplicate());
      }
      return new Found(out.array(), q.indexLastUpdateTimestamp(), q.indexLastUpdatePhyOffset());
    } finally {
      q.release();
    }
  }

  public Future<RemotingCommand> viewMessageById(Connection c, RemotingCommand req) {
    long offset;
    try {
      offset = Headers.longValue(req.extFields(), "offset");
    } catch (RequestException e) {
      return Future.succeededFuture(RemotingCommand.responseTo(req, e.code(), e.remark()));
    }
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(() -> store.copyRecord(offset), false)
        .map(
            bytes ->
                bytes == null
                    ? RemotingCommand.responseTo(
                        req,
                        ResponseCode.SYSTEM_ERROR,
                        "can not find message by the offset, " + offset)
                    : RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).setBody(bytes));
  }
}
