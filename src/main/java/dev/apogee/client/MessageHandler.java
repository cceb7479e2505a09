package dev.apogee.client;

import io.vertx.core.Future;

/**
 * What a {@link PushConsumer} does with each message. The returned future completes when the
 * message is done with; a failed future (or an exception thrown here) means "consume later": the
 * message is handed over again after {@link PushConsumerOptions#retryDelay()}.
 *
 * <p>Runs on the consumer's context; it must not block.
 */
@FunctionalInterface
public interface MessageHandler {
  Future<Void> handle(ReceivedMessage message);
}
