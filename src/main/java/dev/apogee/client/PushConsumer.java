package dev.apogee.client;

import dev.apogee.client.impl.PushConsumerImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;

/**
 * Delivers the messages of subscribed topics to a {@link MessageHandler}, pulling them from the
 * brokers as the handler keeps up.
 *
 * <p><b>Clustering</b> (the default): the members of a consumer group divide the queues among them
 * with RocketMQ's {@code AllocateMessageQueueAveragely} over the sorted member ids and sorted
 * queues, so this client and the official one can share a group. Queues are divided again when a
 * broker announces a membership change and every {@link PushConsumerOptions#rebalanceInterval()}.
 * Consumed offsets are committed to the broker every {@link
 * PushConsumerOptions#persistOffsetInterval()} and on close; the committed offset of a queue is its
 * first message not yet completed, so a message is never skipped, but may be delivered again after
 * a failure or a rebalance. The group's retry topic is consumed too, as the official client does.
 *
 * <p><b>Broadcasting</b>: every member reads every queue and keeps its own offsets (in memory, or
 * in {@link PushConsumerOptions#localOffsetStoreDir()}).
 *
 * <p>At most {@link PushConsumerOptions#maxInFlight()} messages are with the handler at once; while
 * that many are open no queue is pulled. A failed handling is retried locally after {@link
 * PushConsumerOptions#retryDelay()}, up to {@link PushConsumerOptions#maxReconsumeTimes()} times.
 *
 * <p><b>Threading:</b> configure, then {@link #start()}; the methods may be called from any thread.
 * The handler and every internal step run on the context the consumer was created on; returned
 * futures complete on the caller's context.
 */
public interface PushConsumer {

  /** A push consumer; nothing happens until {@link #start()}. */
  static PushConsumer create(Vertx vertx, PushConsumerOptions options) {
    return new PushConsumerImpl(vertx, options);
  }

  /**
   * Subscribes to {@code topic} with a tag expression ({@code "*"} or {@code "TagA || TagB"});
   * before {@link #start()}.
   */
  PushConsumer subscribe(String topic, String expression);

  /** Sets what is done with each message; before {@link #start()}. */
  PushConsumer handler(MessageHandler handler);

  /**
   * Fetches the routes, sends the first heartbeat, takes this member's queues and starts pulling.
   * Completes once the first division of queues is done.
   */
  Future<Void> start();

  /** The queues this member pulls now (including the group's retry topic); a snapshot. */
  Set<MessageQueue> assignment();

  /**
   * Stops pulling, commits the offsets, unregisters from the brokers (so the group divides the
   * queues again at once) and closes the connections. Messages still with the handler are not
   * waited for; they will be delivered again to the queue's next owner.
   */
  Future<Void> close();
}
