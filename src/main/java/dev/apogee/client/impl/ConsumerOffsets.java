package dev.apogee.client.impl;

import dev.apogee.client.ConsumeFromWhere;
import io.vertx.core.Future;

/**
 * Where a push consumer keeps its progress: at the brokers for a clustering group ({@link
 * BrokerOffsets}), in the consumer itself for broadcasting ({@link LocalOffsetStore}). Called on
 * the consumer's context.
 */
interface ConsumerOffsets {

  /**
   * Where {@code pq} starts: its stored offset (also noted as {@code pq.lastCommitted}), else where
   * {@code from} says.
   */
  Future<Long> start(ProcessQueue pq, ConsumeFromWhere from, long timestamp);

  /**
   * Stores {@code pq}'s committable offset if it changed; {@code confirmed} waits for the broker's
   * answer (on close and when the queue is given up), else the update is sent oneway.
   */
  Future<Void> commit(ProcessQueue pq, boolean confirmed);

  /** Makes the stored offsets durable where that is a separate step (the local file). */
  Future<Void> flush();

  /** The offset to send with each pull for the broker to store (0: none). */
  long piggyback(ProcessQueue pq);
}
