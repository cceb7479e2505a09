package dev.apogee.client;

import dev.apogee.client.impl.PullConsumerImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Reads queues the caller chooses, at positions the caller controls, and commits the group's
 * offsets when told to.
 *
 * <p>The consumer keeps a position per queue. The first pull of a queue starts at the group's
 * committed offset, or where {@link PullConsumerOptions#consumeFromWhere()} says when there is
 * none; {@link #seek} moves it. A pull that finds nothing new waits at the broker up to {@link
 * PullConsumerOptions#pollTimeout()} for a message to arrive (long polling). Subscription
 * expressions ({@code "*"}, {@code "TagA || TagB"}) are sent with each pull and filtered on by the
 * broker and again by the client. The consumer sends no heartbeats, so brokers do not count it
 * among the group's members (a push consumer of the same group is not affected by it).
 *
 * <p><b>Threading:</b> every method may be called from any thread and never blocks; the returned
 * futures complete on the caller's context. Pull one queue at a time: two pulls of one queue in
 * flight together would both start at the same position.
 */
public interface PullConsumer {

  /** A pull consumer; it connects when first used. */
  static PullConsumer create(Vertx vertx, PullConsumerOptions options) {
    return new PullConsumerImpl(vertx, options);
  }

  /** Filters {@code topic} by {@code expression} ({@code "*"}, the default, takes everything). */
  PullConsumer subscribe(String topic, String expression);

  /** The readable queues of {@code topic}, sorted. */
  Future<List<MessageQueue>> queues(String topic);

  /**
   * Pulls up to {@code maxMessages} from {@code queue} at its position and moves the position to
   * the result's next offset.
   */
  Future<PullResult> pull(MessageQueue queue, int maxMessages);

  /** Sets {@code queue}'s position: its next pull starts at {@code offset}. */
  Future<Void> seek(MessageQueue queue, long offset);

  /** Sets {@code queue}'s position to its first stored message. */
  Future<Void> seekToBeginning(MessageQueue queue);

  /** Sets {@code queue}'s position to its end: only messages sent later are pulled. */
  Future<Void> seekToEnd(MessageQueue queue);

  /** {@code queue}'s position, found as for a first pull when none is set yet. */
  Future<Long> position(MessageQueue queue);

  /** The group's committed offset of {@code queue} at the broker, or -1 when there is none. */
  Future<Long> committed(MessageQueue queue);

  /** Commits {@code offset} as the group's offset of {@code queue}: the next message to read. */
  Future<Void> commit(MessageQueue queue, long offset);

  /** Commits {@code queue}'s position as the group's offset. */
  Future<Void> commit(MessageQueue queue);

  /** The first offset still stored in {@code queue}. */
  Future<Long> minOffset(MessageQueue queue);

  /** The offset {@code queue}'s next message will get. */
  Future<Long> maxOffset(MessageQueue queue);

  /** Closes the connections; later calls fail. Positions not committed are lost. */
  Future<Void> close();
}
