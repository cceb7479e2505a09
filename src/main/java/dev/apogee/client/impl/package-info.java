/**
 * The client's machinery: {@code ClientCore} (context, connections, identity, routes, timers), the
 * request builders and decoders of the remoting protocol's send, pull, offset and heartbeat
 * requests, the unique id generator, queue allocation, and the three client implementations.
 *
 * <p><b>Threads.</b> Each client's state is confined to the context it was created on. Public
 * methods enter it through {@code ClientCore.call}; remoting responses, timers and NOTIFY requests
 * from brokers arrive there or are moved there; a push consumer's handler futures may complete on
 * any thread and are moved back before their outcome is recorded. The codecs, {@code
 * QueueAllocation}, {@code Subscription}, {@code TopicRoute} and {@code HeartbeatBody} are pure;
 * {@code UniqueIds} shares one atomic counter per JVM.
 */
package dev.apogee.client.impl;
