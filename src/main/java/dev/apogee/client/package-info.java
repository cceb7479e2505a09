/**
 * A reactive Vert.x client for RocketMQ-compatible brokers, over RocketMQ's remoting protocol: it
 * works against Apogee and against Apache RocketMQ alike, and can share a consumer group with the
 * official Java client.
 *
 * <p>Public surface: {@link dev.apogee.client.Producer}, {@link dev.apogee.client.PullConsumer} and
 * {@link dev.apogee.client.PushConsumer}, each made from {@link io.vertx.core.Vertx} and an options
 * object ({@link dev.apogee.client.ProducerOptions}, {@link dev.apogee.client.PullConsumerOptions},
 * {@link dev.apogee.client.PushConsumerOptions}); the values they exchange ({@link
 * dev.apogee.client.Message}, {@link dev.apogee.client.ReceivedMessage}, {@link
 * dev.apogee.client.SendResult}, {@link dev.apogee.client.PullResult}, {@link
 * dev.apogee.client.MessageQueue}); and the errors ({@link dev.apogee.client.ClientException},
 * {@link dev.apogee.client.BrokerException}). The machinery is in {@code dev.apogee.client.impl}.
 *
 * <p><b>Threads.</b> A client belongs to the Vert.x context it was created on: its timers, its
 * connections' callbacks and a push consumer's handler run there, so the client takes no locks. Its
 * methods may be called from any thread and never block; each returns a {@link
 * io.vertx.core.Future} that completes on the caller's context.
 */
package dev.apogee.client;
