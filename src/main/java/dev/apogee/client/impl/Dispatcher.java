package dev.apogee.client.impl;

import dev.apogee.client.MessageHandler;
import dev.apogee.client.PushConsumerOptions;
import dev.apogee.client.ReceivedMessage;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push consumer's hand-over of pulled messages to its handler: at most {@code maxInFlight}
 * messages are with the handler (or waiting for a retry) at once, queues take turns, and a failed
 * handling is handed over again after the retry delay until the retry limit.
 *
 * <p>Confined to the consumer's context; handler futures that complete elsewhere are moved there.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final ClientCore core;
  private final PushConsumerOptions options;
  private final String group;
  private final MessageHandler handler;
  private final Runnable onRoom;
  private final ArrayDeque<ProcessQueue> ready = new ArrayDeque<>();
  private int inFlight;
  private int buffered;
  private boolean dispatching;

  /**
   * @param onRoom called when completed messages made room for more pulls
   */
  Dispatcher(
      ClientCore core,
      PushConsumerOptions options,
      String group,
      MessageHandler handler,
      Runnable onRoom) {
    this.core = core;
    this.options = options;
    this.group = group;
    this.handler = handler;
    this.onRoom = onRoom;
  }

  /** How many more messages may be pulled: the bound less those open and those buffered. */
  int room() {
    return options.maxInFlight() - inFlight - buffered;
  }

  /** Takes the messages of one pull of {@code pq} and hands over what the bound allows. */
  void accept(ProcessQueue pq, List<ReceivedMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    for (ReceivedMessage m : messages) {
      pq.opened(m.queueOffset());
      pq.buffer.add(m);
    }
    buffered += messages.size();
    if (!ready.contains(pq)) {
      ready.add(pq);
    }
    dispatch();
  }

  /** Lets go of a dropped queue's buffered messages and pending retries. */
  void drop(ProcessQueue pq) {
    buffered -= pq.buffer.size();
    pq.buffer.clear();
    for (long timer : pq.retryTimers.values()) {
      core.vertx.cancelTimer(timer);
      inFlight--;
    }
    pq.retryTimers.clear();
    ready.remove(pq);
  }

  /**
   * Hands buffered messages to the handler, a queue at a time, while the bound allows. A handler
   * that completes at once calls back here through {@link #done}; that inner call returns at once
   * and this loop goes on, so the stack does not grow with the number of messages.
   */
  private void dispatch() {
    if (dispatching) {
      return;
    }
    dispatching = true;
    try {
      while (inFlight < options.maxInFlight() && !ready.isEmpty()) {
        ProcessQueue pq = ready.poll();
        ReceivedMessage m = pq.buffer.poll();
        if (m == null) {
          continue;
        }
        if (!pq.buffer.isEmpty()) {
          ready.add(pq);
        }
        buffered--;
        inFlight++;
        handle(pq, m);
      }
    } finally {
      dispatching = false;
    }
  }

  private void handle(ProcessQueue pq, ReceivedMessage m) {
    Future<Void> f;
    boolean threw = false;
    try {
      f = handler.handle(m);
      if (f == null) {
        f = Future.failedFuture(new IllegalStateException("the handler returned no future"));
      }
    } catch (RuntimeException e) {
      threw = true;
      f = Future.failedFuture(e);
    }
    boolean thrown = threw;
    f.onComplete(
        ar -> {
          if (core.context.isRunningOnContext()) {
            handled(pq, m, ar, thrown);
          } else {
            core.context.runOnContext(v -> handled(pq, m, ar, thrown));
          }
        });
  }

  private void handled(ProcessQueue pq, ReceivedMessage m, AsyncResult<Void> ar, boolean thrown) {
    if (ar.succeeded() || pq.dropped || core.isClosed()) {
      done(pq, m);
      return;
    }
    if (m.reconsumeTimes() >= options.maxReconsumeTimes()) {
      LOG.error(
          "giving up message {} of {} after {} failed deliveries to group {}",
          m.msgId(),
          pq.mq,
          m.reconsumeTimes() + 1,
          group,
          ar.cause());
      done(pq, m);
      return;
    }
    if (thrown) {
      LOG.warn("the handler threw on message {} of {}; retrying", m.msgId(), pq.mq, ar.cause());
    } else {
      LOG.debug(
          "message {} of {} to be consumed later: {}", m.msgId(), pq.mq, ar.cause().toString());
    }
    long offset = m.queueOffset();
    long timer =
        core.vertx.setTimer(
            options.retryDelay().toMillis(),
            t -> {
              pq.retryTimers.remove(offset);
              handle(pq, m.redelivered());
            });
    pq.retryTimers.put(offset, timer);
  }

  private void done(ProcessQueue pq, ReceivedMessage m) {
    inFlight--;
    if (!pq.dropped) {
      pq.completed(m.queueOffset());
    }
    dispatch();
    onRoom.run();
  }
}
