package dev.apogee.client.impl;

import dev.apogee.client.ClientException;
import dev.apogee.client.ConsumeFromWhere;
import dev.apogee.client.MessageQueue;
import dev.apogee.remoting.RequestCode;
import io.vertx.core.Future;
import java.util.Map;

/**
 * A consumer group's offsets at the brokers and the queues' bounds (rocketmq-protocol.md 2.6):
 * QUERY/UPDATE_CONSUMER_OFFSET, GET_MIN/MAX_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP, and where a queue
 * without a committed offset starts; a clustering push consumer's {@link ConsumerOffsets}. Runs on
 * the client's context.
 */
final class BrokerOffsets implements ConsumerOffsets {
  private static final long HALF_AN_HOUR_MS = 30 * 60 * 1000L;

  private final ClientCore core;
  private final String group;

  BrokerOffsets(ClientCore core, String group) {
    this.core = core;
    this.group = group;
  }

  /**
   * The group's committed offset of {@code mq}, -1 when there is none.
   *
   * @param exact see {@link PullRequests#queryOffset}
   */
  Future<Long> committed(MessageQueue mq, boolean exact) {
    return address(mq)
        .compose(
            addr ->
                core.invoke(
                    addr,
                    PullRequests.queryOffset(group, mq, exact),
                    core.requestTimeoutMillis(),
                    resp -> PullRequests.committedOffset(resp, addr)));
  }

  /** Commits {@code offset} and waits for the broker's answer. */
  Future<Void> commit(MessageQueue mq, long offset) {
    return address(mq)
        .compose(
            addr ->
                core.invokeExpectingSuccess(addr, PullRequests.updateOffset(group, mq, offset)));
  }

  /** Commits {@code offset} without waiting for an answer, as the official periodic commit. */
  Future<Void> commitOneway(MessageQueue mq, long offset) {
    return address(mq)
        .compose(
            addr -> core.remoting.invokeOneway(addr, PullRequests.updateOffset(group, mq, offset)));
  }

  Future<Long> min(MessageQueue mq) {
    return offsetOf(RequestCode.GET_MIN_OFFSET, mq, Map.of());
  }

  Future<Long> max(MessageQueue mq) {
    return offsetOf(RequestCode.GET_MAX_OFFSET, mq, Map.of());
  }

  /** The first offset whose message was stored at or after {@code epochMillis}. */
  Future<Long> search(MessageQueue mq, long epochMillis) {
    return offsetOf(
        RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
        mq,
        Map.of("timestamp", Long.toString(epochMillis)));
  }

  /**
   * Where {@code mq} starts when the group has no offset: its end (0 for a retry topic, as the
   * official client), its beginning, or the first message at the timestamp (0: half an hour ago).
   */
  Future<Long> initial(MessageQueue mq, ConsumeFromWhere from, long timestamp) {
    return switch (from) {
      case LAST_OFFSET ->
          mq.topic().startsWith(StoredMessageDecoder.RETRY_TOPIC_PREFIX)
              ? Future.succeededFuture(0L)
              : max(mq);
      case FIRST_OFFSET -> min(mq);
      case TIMESTAMP ->
          search(mq, timestamp > 0 ? timestamp : System.currentTimeMillis() - HALF_AN_HOUR_MS);
    };
  }

  /** The exactly committed offset, else {@link #initial}. */
  Future<Long> start(MessageQueue mq, ConsumeFromWhere from, long timestamp) {
    return committed(mq, true)
        .compose(c -> c >= 0 ? Future.succeededFuture(c) : initial(mq, from, timestamp));
  }

  private Future<Long> offsetOf(int code, MessageQueue mq, Map<String, String> more) {
    return address(mq)
        .compose(
            addr ->
                core.invoke(
                    addr,
                    PullRequests.queueRequest(code, mq, more),
                    core.requestTimeoutMillis(),
                    resp -> PullRequests.offset(resp, addr)));
  }

  /** The master of {@code mq}'s broker, else another member. */
  Future<String> address(MessageQueue mq) {
    String known = core.readAddress(mq.topic(), mq.brokerName());
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return core.fetchRoute(mq.topic())
        .map(
            route -> {
              String addr = core.readAddress(mq.topic(), mq.brokerName());
              if (addr == null) {
                throw new ClientException(
                    "broker " + mq.brokerName() + " is not in the route of " + mq.topic());
              }
              return addr;
            });
  }

  // ------------------------------------------------------------------ as a push consumer's store

  /**
   * The offset the broker answers (0 for a new group on a young queue, as it tells the official
   * push consumer), else where {@code from} says.
   */
  @Override
  public Future<Long> start(ProcessQueue pq, ConsumeFromWhere from, long timestamp) {
    return committed(pq.mq, false)
        .compose(
            c -> {
              if (c >= 0) {
                pq.lastCommitted = c;
                return Future.succeededFuture(c);
              }
              return initial(pq.mq, from, timestamp);
            });
  }

  @Override
  public Future<Void> commit(ProcessQueue pq, boolean confirmed) {
    long offset = pq.committable();
    if (offset == pq.lastCommitted) {
      return Future.succeededFuture();
    }
    pq.lastCommitted = offset;
    return (confirmed ? commit(pq.mq, offset) : commitOneway(pq.mq, offset))
        .onFailure(
            e -> {
              if (pq.lastCommitted == offset) {
                pq.lastCommitted = -1; // not stored: the next round sends it again
              }
            });
  }

  @Override
  public Future<Void> flush() {
    return Future.succeededFuture();
  }

  @Override
  public long piggyback(ProcessQueue pq) {
    return pq.committable();
  }
}
