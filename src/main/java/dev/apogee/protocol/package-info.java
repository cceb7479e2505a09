/**
 * The JSON bodies the name server and the broker exchange with RocketMQ clients and brokers
 * (rocketmq-protocol.md 1.10, 2.2, 2.3), with RocketMQ's field names, and {@link
 * dev.apogee.protocol.ProtocolJson} to read and write them.
 *
 * <p>Each body is a record with a hand-written codec over Jackson's streaming API: its {@code
 * writeJson} ({@link dev.apogee.protocol.JsonBody}) and its static {@code readJson} ({@link
 * dev.apogee.protocol.JsonReader}). {@link dev.apogee.protocol.JsonOut} and {@link
 * dev.apogee.protocol.JsonIn} hold the conventions (sorted fields, nulls left out, raw object keys,
 * unknown fields skipped, precise errors); nothing is mapped by reflection, so reading or writing a
 * first body costs no more class loading than the parser and generator themselves.
 *
 * <p>Threads: every body is an immutable record whose collections are unmodifiable copies, so it
 * may be shared between threads and sent over the event bus as is. {@code ProtocolJson} is
 * thread-safe; a {@code JsonIn} or {@code JsonOut} serves one call on one thread.
 */
package dev.apogee.protocol;
