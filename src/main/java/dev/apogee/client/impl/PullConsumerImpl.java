package dev.apogee.client.impl;

import dev.apogee.client.ClientException;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.PullConsumer;
import dev.apogee.client.PullConsumerOptions;
import dev.apogee.client.PullResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link PullConsumer} over the remoting protocol. Positions live on the consumer's context; the
 * subscriptions map is concurrent because {@link #subscribe} may be called from any thread.
 */
public final class PullConsumerImpl implements PullConsumer {
  private final ClientCore core;
  private final PullConsumerOptions options;
  private final BrokerOffsets offsets;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

  /** Next offset to pull per queue; on the context. */
  private final Map<MessageQueue, Long> positions = new HashMap<>();

  public PullConsumerImpl(Vertx vertx, PullConsumerOptions options) {
    if (options.consumerGroup() == null) {
      throw new IllegalArgumentException("consumerGroup must be set");
    }
    this.options = new PullConsumerOptions(options);
    this.core = new ClientCore(vertx, this.options);
    this.offsets = new BrokerOffsets(core, this.options.consumerGroup());
    core.call(
        () -> {
          Duration poll = this.options.pollNameServerInterval();
          core.every(poll, poll, "route refresh", () -> core.refreshRoutes());
          return Future.succeededFuture();
        });
  }

  @Override
  public PullConsumer subscribe(String topic, String expression) {
    subscriptions.put(topic, Subscription.of(topic, expression, 0));
    return this;
  }

  @Override
  public Future<List<MessageQueue>> queues(String topic) {
    return core.callOpen(() -> core.fetchRoute(topic).map(TopicRoute::subscribeQueues));
  }

  @Override
  public Future<PullResult> pull(MessageQueue queue, int maxMessages) {
    if (maxMessages < 1) {
      return Future.failedFuture(
          new IllegalArgumentException("maxMessages must be at least 1, not " + maxMessages));
    }
    return core.callOpen(
        () -> currentPosition(queue).compose(at -> pullAt(queue, at, maxMessages)));
  }

  private Future<PullResult> pullAt(MessageQueue mq, long offset, int maxMessages) {
    Subscription sub =
        subscriptions.getOrDefault(mq.topic(), Subscription.of(mq.topic(), Subscription.ALL, 0));
    long suspend = options.pollTimeout().toMillis();
    long timeout =
        suspend + Math.max(core.requestTimeoutMillis(), PullRequests.LONG_POLL_MARGIN_MS);
    return offsets
        .address(mq)
        .compose(
            addr ->
                core.invoke(
                    addr,
                    PullRequests.pull(
                        options.consumerGroup(), mq, offset, maxMessages, 0, suspend, sub, true),
                    timeout,
                    resp -> PullRequests.result(resp, mq, sub, addr)))
        .onSuccess(r -> positions.put(mq, r.nextOffset()));
  }

  @Override
  public Future<Void> seek(MessageQueue queue, long offset) {
    if (offset < 0) {
      return Future.failedFuture(new ClientException("offset " + offset + " is negative"));
    }
    return core.callOpen(
        () -> {
          positions.put(queue, offset);
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Void> seekToBeginning(MessageQueue queue) {
    return core.callOpen(() -> offsets.min(queue).map(o -> setPosition(queue, o)));
  }

  @Override
  public Future<Void> seekToEnd(MessageQueue queue) {
    return core.callOpen(() -> offsets.max(queue).map(o -> setPosition(queue, o)));
  }

  private Void setPosition(MessageQueue mq, long offset) {
    positions.put(mq, offset);
    return null;
  }

  @Override
  public Future<Long> position(MessageQueue queue) {
    return core.callOpen(() -> currentPosition(queue));
  }

  private Future<Long> currentPosition(MessageQueue mq) {
    Long at = positions.get(mq);
    if (at != null) {
      return Future.succeededFuture(at);
    }
    return offsets
        .start(mq, options.consumeFromWhere(), options.consumeTimestamp())
        .map(
            o -> {
              positions.putIfAbsent(mq, o);
              return positions.get(mq);
            });
  }

  @Override
  public Future<Long> committed(MessageQueue queue) {
    return core.callOpen(() -> offsets.committed(queue, true));
  }

  @Override
  public Future<Void> commit(MessageQueue queue, long offset) {
    if (offset < 0) {
      return Future.failedFuture(new ClientException("offset " + offset + " is negative"));
    }
    return core.callOpen(() -> offsets.commit(queue, offset));
  }

  @Override
  public Future<Void> commit(MessageQueue queue) {
    return core.callOpen(
        () -> {
          Long at = positions.get(queue);
          if (at == null) {
            return Future.failedFuture(
                new ClientException("no position for " + queue + " to commit: pull or seek first"));
          }
          return offsets.commit(queue, at);
        });
  }

  @Override
  public Future<Long> minOffset(MessageQueue queue) {
    return core.callOpen(() -> offsets.min(queue));
  }

  @Override
  public Future<Long> maxOffset(MessageQueue queue) {
    return core.callOpen(() -> offsets.max(queue));
  }

  @Override
  public Future<Void> close() {
    return core.call(
        () -> {
          if (core.isClosed()) {
            return Future.succeededFuture();
          }
          core.markClosed();
          return core.closeConnections();
        });
  }
}
