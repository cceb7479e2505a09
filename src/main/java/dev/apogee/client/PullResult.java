package dev.apogee.client;

import java.util.List;

/**
 * The answer to one pull. Immutable.
 *
 * @param status what the broker found
 * @param nextOffset where the next pull of the queue starts
 * @param minOffset the queue's first offset still stored
 * @param maxOffset the queue's next offset to be written
 * @param messages the messages found and matching the subscription, in queue order; empty unless
 *     {@code status} is {@link PullStatus#FOUND}
 */
public record PullResult(
    PullStatus status,
    long nextOffset,
    long minOffset,
    long maxOffset,
    List<ReceivedMessage> messages) {

  public PullResult {
    messages = List.copyOf(messages);
  }
}
