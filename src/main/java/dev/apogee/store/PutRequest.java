package dev.apogee.store;

import io.netty.buffer.ByteBuf;

/**
 * Records for one topic and queue, already encoded in the stored-record layout (by {@code
 * RecordEncoder}); the store stamps their queue offset, physical offset and store time and copies
 * them into the commit log. Ownership of {@code records} passes to the store, which releases it.
 *
 * @param topic topic of every record
 * @param queueId queue of every record
 * @param records one record, or several (a batch, appended contiguously in one go)
 * @param waitStoreMsgOK with SYNC_FLUSH, answer only after the records are durable (the {@code
 *     WAIT} property; RocketMQ's default is true)
 */
public record PutRequest(String topic, int queueId, ByteBuf records, boolean waitStoreMsgOK) {}
