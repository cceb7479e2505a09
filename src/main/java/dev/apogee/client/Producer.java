package dev.apogee.client;

import dev.apogee.client.impl.ProducerImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Sends messages to RocketMQ-compatible brokers (Apogee or Apache RocketMQ) over the remoting
 * protocol, without blocking.
 *
 * <p>Routes come from the name servers on first use of a topic and are fetched again every {@link
 * ClientOptions#pollNameServerInterval()}. A plain send takes the topic's writable queues in turn
 * and, when a broker fails or refuses with a code worth retrying, tries up to {@link
 * ProducerOptions#retryTimesWhenSendFailed()} more times on another broker, within {@link
 * ProducerOptions#sendTimeout()}. Bodies of {@link ProducerOptions#compressThreshold()} bytes or
 * more are sent zlib-compressed; every message gets a unique id ({@code UNIQ_KEY}) in the official
 * client's format.
 *
 * <p><b>Threading:</b> every method may be called from any thread and never blocks; the returned
 * futures complete on the caller's context. The producer's own timers and connections run on the
 * context it was created on.
 */
public interface Producer {

  /** A producer; it connects when first used. */
  static Producer create(Vertx vertx, ProducerOptions options) {
    return new ProducerImpl(vertx, options);
  }

  /** Sends {@code message} to one of its topic's queues, retrying on another broker on failure. */
  Future<SendResult> send(Message message);

  /**
   * Sends {@code message} to the queue {@code selector} chooses, with {@code arg}; not retried on
   * another queue, so that messages of one key keep their order.
   */
  Future<SendResult> send(Message message, MessageQueueSelector selector, Object arg);

  /** Sends {@code message} to {@code queue}; not retried elsewhere. */
  Future<SendResult> send(Message message, MessageQueue queue);

  /**
   * Sends {@code messages} (one topic, no delays) in one request to one queue, where they get
   * consecutive offsets; retried like {@link #send(Message)}.
   */
  Future<SendResult> sendBatch(List<Message> messages);

  /** Sends {@code message} without waiting for the broker; completes once written to the socket. */
  Future<Void> sendOneway(Message message);

  /** The writable queues of {@code topic}, in the order the producer takes them. */
  Future<List<MessageQueue>> queues(String topic);

  /** Unregisters from the brokers and closes the connections; later sends fail. */
  Future<Void> close();
}
