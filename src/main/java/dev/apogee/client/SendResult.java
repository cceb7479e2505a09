package dev.apogee.client;

/**
 * What a broker answered to a send. Immutable.
 *
 * @param status how the message was stored
 * @param msgId the message's unique id ({@code UNIQ_KEY}) made by the producer; for a batch the ids
 *     of its messages joined by commas
 * @param offsetMsgId the broker's id of the stored record (store host and commit-log offset); for a
 *     batch the ids of its records joined by commas
 * @param queue the queue the message went to
 * @param queueOffset the message's offset in that queue (for a batch: its first message's)
 */
public record SendResult(
    SendStatus status, String msgId, String offsetMsgId, MessageQueue queue, long queueOffset) {}
