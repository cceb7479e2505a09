package dev.apogee.admin;

import dev.apogee.client.ConsumeFromWhere;
import dev.apogee.client.Message;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.Producer;
import dev.apogee.client.ProducerOptions;
import dev.apogee.client.PullConsumer;
import dev.apogee.client.PullConsumerOptions;
import dev.apogee.client.PullStatus;
import dev.apogee.client.ReceivedMessage;
import dev.apogee.client.SendResult;
import dev.apogee.gateway.ClusterAdmin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consumer group's dead letters ({@code %DLQ%{group}}): listed from the oldest, and resent to the
 * topic they failed on. Works against any RocketMQ-protocol cluster through its name servers.
 * Futures complete on the caller's context.
 */
public final class DeadLetters {
  /** The property that names the topic a retried message came from. */
  public static final String RETRY_TOPIC = "RETRY_TOPIC";

  // Properties the broker set on the dead letter's way there; a resent message starts afresh.
  private static final Set<String> NOT_RESENT =
      Set.of(
          RETRY_TOPIC,
          "ORIGIN_MESSAGE_ID",
          "DELAY",
          "REAL_TOPIC",
          "REAL_QID",
          "RECONSUME_TIME",
          "MAX_RECONSUME_TIMES",
          "CLUSTER",
          "MIN_OFFSET",
          "MAX_OFFSET",
          "CONSUME_START_TIME",
          "TRAN_MSG",
          "PGROUP");

  private static final int PULL_BATCH = 32;

  private final Vertx vertx;
  private final String nameServers;
  private final ClusterAdmin admin;
  private Producer producer;

  public DeadLetters(Vertx vertx, String nameServers) {
    this.vertx = vertx;
    this.nameServers = nameServers;
    this.admin = new ClusterAdmin(vertx, nameServers);
  }

  /** The dead-letter topic of {@code group}. */
  public static String topicOf(String group) {
    return "%DLQ%" + group;
  }

  /** Up to {@code max} dead letters of {@code group}, oldest first in each queue. */
  public Future<List<ReceivedMessage>> list(String group, int max) {
    String topic = topicOf(group);
    PullConsumer consumer =
        PullConsumer.create(
                vertx,
                new PullConsumerOptions()
                    .setNameServerAddress(nameServers)
                    .setConsumerGroup("apogee-dlq-reader")
                    .setConsumeFromWhere(ConsumeFromWhere.FIRST_OFFSET))
            .subscribe(topic, "*");
    List<ReceivedMessage> out = new ArrayList<>();
    return consumer
        .queues(topic)
        .compose(queues -> readQueues(consumer, queues, 0, max, out))
        .<List<ReceivedMessage>>map(v -> out)
        .eventually(consumer::close);
  }

  private Future<Void> readQueues(
      PullConsumer consumer, List<MessageQueue> queues, int i, int max, List<ReceivedMessage> out) {
    if (i >= queues.size() || out.size() >= max) {
      return Future.succeededFuture();
    }
    MessageQueue mq = queues.get(i);
    return consumer
        .seekToBeginning(mq)
        .compose(v -> consumer.maxOffset(mq))
        .compose(end -> readQueue(consumer, mq, end, max, out))
        .compose(v -> readQueues(consumer, queues, i + 1, max, out));
  }

  private Future<Void> readQueue(
      PullConsumer consumer, MessageQueue mq, long end, int max, List<ReceivedMessage> out) {
    return consumer
        .position(mq)
        .compose(
            at -> {
              if (at >= end || out.size() >= max) {
                return Future.succeededFuture();
              }
              return consumer
                  .pull(mq, Math.min(PULL_BATCH, max - out.size()))
                  .compose(
                      r -> {
                        if (r.status() != PullStatus.FOUND) {
                          return Future.succeededFuture();
                        }
                        out.addAll(r.messages());
                        return readQueue(consumer, mq, end, max, out);
                      });
            });
  }

  /**
   * Sends the dead letter {@code msgId} of {@code group} again to the topic it failed on, with its
   * body, tags, keys, user properties and message id, and no retry history. Fails when {@code
   * group} has no such dead letter.
   */
  public Future<SendResult> resend(String group, String msgId) {
    return admin
        .queryByKey(topicOf(group), msgId, 32, true)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(
                    new IllegalArgumentException(
                        "no dead letter " + msgId + " in " + topicOf(group)));
              }
              return producer().send(resent(found.get(0)));
            });
  }

  /** The message to send again for {@code dead}. */
  static Message resent(ReceivedMessage dead) {
    Map<String, String> props = dead.properties();
    String original = props.get(RETRY_TOPIC);
    if (original == null || original.isBlank()) {
      throw new IllegalArgumentException(
          "dead letter " + dead.msgId() + " names no original topic (" + RETRY_TOPIC + ")");
    }
    Message m = new Message(original, dead.body());
    props.forEach(
        (k, v) -> {
          if (!NOT_RESENT.contains(k)) {
            m.putProperty(k, v);
          }
        });
    return m;
  }

  private Producer producer() {
    if (producer == null) {
      producer =
          Producer.create(
              vertx,
              new ProducerOptions()
                  .setNameServerAddress(nameServers)
                  .setProducerGroup("apogee-dlq-resender"));
    }
    return producer;
  }

  /** Closes the connections; completes once the producer (if one was made) unregistered. */
  public Future<Void> close() {
    admin.close();
    return producer == null ? Future.succeededFuture() : producer.close();
  }
}
