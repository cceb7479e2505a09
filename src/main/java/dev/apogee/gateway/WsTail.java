package dev.apogee.gateway;

import dev.apogee.client.MessageQueue;
import dev.apogee.client.PullConsumer;
import dev.apogee.client.PullConsumerOptions;
import dev.apogee.client.PullStatus;
import dev.apogee.client.ReceivedMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket that tails a topic: every queue is pulled from a start position (now, the earliest
 * stored message, or an offset) and each message is pushed as a frame, under credit-based flow
 * control — the subscriber grants credits with {@code {"credit": n}} and never gets more messages
 * than it granted. Pulls ask for no more than the credits on hand, and stop while the socket's
 * write queue is full, so a slow subscriber costs the gateway a bounded buffer.
 *
 * <p>Confined to the gateway verticle's context.
 */
final class WsTail {
  private static final Logger LOG = LoggerFactory.getLogger(WsTail.class);
  private static final AtomicLong SEQ = new AtomicLong();
  private static final int MAX_PULL = 32;
  private static final long MAX_CREDIT = 1_000_000;
  private static final Duration POLL = Duration.ofSeconds(5);
  private static final long RETRY_MS = 1_000;

  /** Where the tail starts in each queue. */
  record Start(String kind, long offset) {
    static final Start NOW = new Start("now", -1);
    static final Start EARLIEST = new Start("earliest", -1);

    static Start parse(String s) {
      if (s == null || s.isEmpty() || s.equals("now")) {
        return NOW;
      }
      if (s.equals("earliest")) {
        return EARLIEST;
      }
      try {
        long o = Long.parseLong(s);
        if (o < 0) {
          throw new HttpError(400, "from is now, earliest or an offset of 0 or more, was " + s);
        }
        return new Start("offset", o);
      } catch (NumberFormatException e) {
        throw new HttpError(400, "from is now, earliest or an offset, was '" + s + "'");
      }
    }
  }

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final String topic;
  private final boolean binary;
  private final PullConsumer consumer;
  private final List<QueueState> queues = new ArrayList<>();
  private long credits;
  private long reserved;
  private boolean closed;

  private static final class QueueState {
    final MessageQueue mq;
    boolean pulling;
    long retryTimer = -1;

    QueueState(MessageQueue mq) {
      this.mq = mq;
    }
  }

  WsTail(
      Vertx vertx,
      ServerWebSocket ws,
      String nameServers,
      String topic,
      String expression,
      boolean binary,
      long initialCredit) {
    this.vertx = vertx;
    this.ws = ws;
    this.topic = topic;
    this.binary = binary;
    this.credits = initialCredit;
    this.consumer =
        PullConsumer.create(
                vertx,
                new PullConsumerOptions()
                    .setNameServerAddress(nameServers)
                    .setConsumerGroup("apogee-gateway-tail-" + SEQ.incrementAndGet())
                    .setPollTimeout(POLL))
            .subscribe(topic, expression);
  }

  /** Finds the queues, positions them, then serves the socket until it closes. */
  void start(Start start) {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(
        b -> sendError(400, "frames to the gateway are JSON text: {\"credit\": n}"));
    ws.closeHandler(v -> close());
    ws.exceptionHandler(e -> LOG.debug("WebSocket tail of {} failed: {}", topic, e.toString()));
    ws.drainHandler(v -> pullAll());
    consumer
        .queues(topic)
        .compose(
            list -> {
              List<Future<Void>> positioned = new ArrayList<>();
              for (MessageQueue mq : list) {
                queues.add(new QueueState(mq));
                positioned.add(
                    switch (start.kind()) {
                      case "earliest" -> consumer.seekToBeginning(mq);
                      case "offset" -> consumer.seek(mq, start.offset());
                      default -> consumer.seekToEnd(mq);
                    });
              }
              return Future.all(positioned);
            })
        .onSuccess(
            v -> {
              // Tells the subscriber where it stands: messages sent from now on will come.
              ws.writeTextMessage(
                  new JsonObject()
                      .put(
                          "subscribed",
                          new JsonObject()
                              .put("topic", topic)
                              .put("queues", queues.size())
                              .put("from", start.kind()))
                      .encode());
              pullAll();
            })
        .onFailure(
            e -> {
              LOG.debug("WebSocket tail of {} cannot start: {}", topic, e.getMessage());
              if (!ws.isClosed()) {
                ws.close((short) 1011, truncate("cannot read " + topic + ": " + e.getMessage()));
              }
              close();
            });
  }

  private void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException e) {
      sendError(400, "not a JSON object: " + e.getMessage());
      return;
    }
    Object c = frame.getValue("credit");
    if (frame.size() != 1 || !(c instanceof Integer || c instanceof Long)) {
      sendError(400, "a frame is {\"credit\": n} with n from 1 to " + MAX_CREDIT);
      return;
    }
    long n = ((Number) c).longValue();
    if (n < 1 || n > MAX_CREDIT || credits + n > MAX_CREDIT) {
      sendError(400, "credits are granted 1 to " + MAX_CREDIT + " at a time and held up to that");
      return;
    }
    credits += n;
    pullAll();
  }

  private void sendError(int code, String message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(
          new JsonObject()
              .put("error", new JsonObject().put("code", code).put("message", message))
              .encode());
    }
  }

  // Pulls every idle queue while credits not yet promised to a pull remain.
  private void pullAll() {
    if (closed || ws.writeQueueFull()) {
      return;
    }
    for (QueueState q : queues) {
      long free = credits - reserved;
      if (free <= 0) {
        return;
      }
      if (!q.pulling && q.retryTimer < 0) {
        int idle = (int) queues.stream().filter(x -> !x.pulling && x.retryTimer < 0).count();
        int ask = (int) Math.min(MAX_PULL, Math.max(1, free / Math.max(1, idle)));
        pull(q, ask);
      }
    }
  }

  private void pull(QueueState q, int ask) {
    q.pulling = true;
    reserved += ask;
    consumer
        .pull(q.mq, ask)
        .onComplete(
            ar -> {
              q.pulling = false;
              reserved -= ask;
              if (closed) {
                return;
              }
              if (ar.failed()) {
                LOG.debug("WebSocket tail pull of {} failed: {}", q.mq, ar.cause().getMessage());
                q.retryTimer =
                    vertx.setTimer(
                        RETRY_MS,
                        t -> {
                          q.retryTimer = -1;
                          pullAll();
                        });
                return;
              }
              if (ar.result().status() == PullStatus.FOUND) {
                for (ReceivedMessage m : ar.result().messages()) {
                  // The pull asked for at most its reservation; the broker may send fewer.
                  credits--;
                  push(m);
                }
              }
              pullAll();
            });
  }

  private void push(ReceivedMessage m) {
    JsonObject json = MessageJson.of(m);
    if (!binary) {
      ws.writeTextMessage(json.encode());
      return;
    }
    // Binary: 4-byte length of a JSON header, the header (the message without its body), the body.
    json.remove("body");
    json.remove("bodyBase64");
    byte[] header = json.encode().getBytes(StandardCharsets.UTF_8);
    byte[] body = m.body();
    ws.writeBinaryMessage(
        Buffer.buffer(4 + header.length + body.length)
            .appendInt(header.length)
            .appendBytes(header)
            .appendBytes(body));
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (QueueState q : queues) {
      if (q.retryTimer >= 0) {
        vertx.cancelTimer(q.retryTimer);
      }
    }
    consumer.close().onFailure(e -> LOG.debug("closing the tail of {}: {}", topic, e.getMessage()));
  }

  private static String truncate(String reason) {
    // A close frame's reason is at most 123 bytes.
    byte[] b = reason.getBytes(StandardCharsets.UTF_8);
    return b.length <= 120 ? reason : new String(b, 0, 120, StandardCharsets.UTF_8);
  }
}
