/**
 * The JSON bodies the name server and the broker exchange with RocketMQ clients and brokers
 * (rocketmq-protocol.md 1.10, 2.2, 2.3), with RocketMQ's field names, and {@link
 * dev.apogee.protocol.ProtocolJson} to read and write them.
 *
 * <p>Threads: every body is an immutable record whose collections are unmodifiable copies, so it
 * may be shared between threads and sent over the event bus as is. {@code ProtocolJson} is
 * thread-safe.
 */
package dev.apogee.protocol;
