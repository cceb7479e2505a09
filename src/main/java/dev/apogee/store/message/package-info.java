/**
 * RocketMQ's message formats as bytes: the stored record (protocol doc 3.3) that the commit log
 * holds and pulls return verbatim, the properties string (3.1), SEND_BATCH_MESSAGE bodies (3.6),
 * offset message ids (3.7) and unique client ids (3.8).
 *
 * <p>Pure code: no Vert.x, no files. The broker encodes a SEND on its event loop with {@link
 * dev.apogee.store.message.RecordEncoder}; the store patches the queue offset, physical offset and
 * store time at the positions in {@link dev.apogee.store.message.RecordLayout}; the dispatcher and
 * recovery read records in place with {@link dev.apogee.store.message.RecordDecoder}, {@link
 * dev.apogee.store.message.MessageProperties#find} and {@link
 * dev.apogee.store.message.RecordCheck}. Every class is stateless and thread-safe except {@link
 * dev.apogee.store.message.UniqIdGenerator}, whose shared counter is atomic.
 */
package dev.apogee.store.message;
