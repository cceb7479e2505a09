package dev.apogee.client.impl;

import dev.apogee.client.BrokerException;
import dev.apogee.client.ClientException;
import dev.apogee.client.Message;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.MessageQueueSelector;
import dev.apogee.client.Producer;
import dev.apogee.client.ProducerOptions;
import dev.apogee.client.SendResult;
import dev.apogee.client.SendStatus;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RemotingException;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Producer} over the remoting protocol. Messages are checked, snapshotted and compressed on
 * the caller's thread; queue choice, ids, requests and retries run on the producer's context.
 */
public final class ProducerImpl implements Producer {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerImpl.class);

  /** Response codes after which the official producer tries another broker. */
  private static final Set<Integer> RETRY_CODES =
      Set.of(
          ResponseCode.TOPIC_NOT_EXIST,
          ResponseCode.SERVICE_NOT_AVAILABLE,
          ResponseCode.SYSTEM_ERROR,
          ResponseCode.SYSTEM_BUSY,
          ResponseCode.NO_PERMISSION,
          ResponseCode.NO_BUYER_ID,
          ResponseCode.NOT_IN_CURRENT_UNIT,
          ResponseCode.GO_AWAY);

  private final ClientCore core;
  private final ProducerOptions options;
  private final SendRequests requests;

  /** Per topic, the index of the queue taken last; on the context. */
  private final Map<String, Integer> nextQueue = new HashMap<>();

  public ProducerImpl(Vertx vertx, ProducerOptions options) {
    this.options = new ProducerOptions(options);
    this.core = new ClientCore(vertx, this.options);
    this.requests = new SendRequests(this.options);
    core.call(
        () -> {
          Duration poll = this.options.pollNameServerInterval();
          core.every(poll, poll, "route refresh", () -> core.refreshRoutes());
          core.every(
              Duration.ofSeconds(1),
              this.options.heartbeatInterval(),
              "heartbeat",
              this::heartbeat);
          return Future.succeededFuture();
        });
  }

  // ------------------------------------------------------------------ sends

  @Override
  public Future<SendResult> send(Message message) {
    SendRequests.Outgoing out;
    try {
      out = requests.prepare(message);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return core.callOpen(
        () -> {
          out.identify(core::nextUniqueId);
          return sendWithRetry(out, deadline());
        });
  }

  @Override
  public Future<SendResult> send(Message message, MessageQueueSelector selector, Object arg) {
    SendRequests.Outgoing out;
    Message snapshot;
    try {
      out = requests.prepare(message);
      // the selector runs later, on the producer's context: give it a message the caller
      // cannot change in the meantime
      snapshot = message.copy();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return core.callOpen(
        () ->
            identified(out)
                .compose(x -> publishRoute(out.topic()))
                .compose(
                    route -> {
                      MessageQueue mq = selector.select(route.publishQueues(), snapshot, arg);
                      if (mq == null || !route.publishQueues().contains(mq)) {
                        throw new ClientException(
                            "the selector chose "
                                + mq
                                + ", not a writable queue of "
                                + out.topic());
                      }
                      return sendOnce(out, mq, route, options.sendTimeout().toMillis());
                    }));
  }

  @Override
  public Future<SendResult> send(Message message, MessageQueue queue) {
    SendRequests.Outgoing out;
    try {
      out = requests.prepare(message);
      if (!queue.topic().equals(message.topic())) {
        throw new ClientException(
            "queue " + queue + " is not of the message's topic " + message.topic());
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return core.callOpen(
        () ->
            identified(out)
                .compose(x -> publishRoute(out.topic()))
                .compose(route -> sendOnce(out, queue, route, options.sendTimeout().toMillis())));
  }

  @Override
  public Future<SendResult> sendBatch(List<Message> messages) {
    List<SendRequests.Outgoing> outs;
    try {
      outs = requests.prepareBatch(messages);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return core.callOpen(
        () -> {
          SendRequests.Outgoing batch = requests.assembleBatch(outs, core::nextUniqueId);
          return sendWithRetry(batch, deadline());
        });
  }

  @Override
  public Future<Void> sendOneway(Message message) {
    SendRequests.Outgoing out;
    try {
      out = requests.prepare(message);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return core.callOpen(
        () ->
            identified(out)
                .compose(x -> publishRoute(out.topic()))
                .compose(
                    route -> {
                      MessageQueue mq = selectQueue(route, null);
                      String addr = masterOf(route, mq);
                      return core.remoting.invokeOneway(addr, request(out, mq));
                    }));
  }

  @Override
  public Future<List<MessageQueue>> queues(String topic) {
    return core.callOpen(() -> publishRoute(topic).map(TopicRoute::publishQueues));
  }

  @Override
  public Future<Void> close() {
    return core.call(
        () -> {
          if (core.isClosed()) {
            return Future.succeededFuture();
          }
          core.markClosed();
          return core.unregister(core.brokerAddresses(true), options.producerGroup(), null)
              .eventually(core::closeConnections);
        });
  }

  // ------------------------------------------------------------------ on the context

  /** Gives {@code out} its unique id; fails when its properties break a limit. */
  private Future<Void> identified(SendRequests.Outgoing out) {
    out.identify(core::nextUniqueId);
    return Future.succeededFuture();
  }

  private long deadline() {
    return System.nanoTime() + options.sendTimeout().toNanos();
  }

  private Future<SendResult> sendWithRetry(SendRequests.Outgoing out, long deadline) {
    return publishRoute(out.topic()).compose(route -> attempt(out, route, deadline, 0, null, null));
  }

  private Future<SendResult> attempt(
      SendRequests.Outgoing out,
      TopicRoute route,
      long deadline,
      int attempt,
      String lastBroker,
      Throwable lastError) {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      return Future.failedFuture(
          new ClientException(
              "sending to "
                  + out.topic()
                  + " took the whole send timeout of "
                  + options.sendTimeout().toMillis()
                  + " ms"
                  + (lastError == null ? "" : "; last error: " + lastError.getMessage()),
              lastError));
    }
    MessageQueue mq = selectQueue(route, lastBroker);
    return sendOnce(out, mq, route, left)
        .recover(
            e -> {
              if (attempt < options.retryTimesWhenSendFailed()
                  && retryable(e)
                  && !core.isClosed()) {
                LOG.debug("send to {} failed ({}), retrying on another broker", mq, e.getMessage());
                TopicRoute current = core.cachedRoute(out.topic());
                return attempt(
                    out,
                    current != null ? current : route,
                    deadline,
                    attempt + 1,
                    mq.brokerName(),
                    e);
              }
              return Future.failedFuture(e);
            });
  }

  private static boolean retryable(Throwable e) {
    return e instanceof RemotingException
        || (e instanceof BrokerException b && RETRY_CODES.contains(b.code()));
  }

  private Future<SendResult> sendOnce(
      SendRequests.Outgoing out, MessageQueue mq, TopicRoute route, long timeoutMillis) {
    String addr;
    try {
      addr = masterOf(route, mq);
    } catch (ClientException e) {
      return Future.failedFuture(e);
    }
    return core.invoke(addr, request(out, mq), timeoutMillis, resp -> result(out, mq, addr, resp));
  }

  private RemotingCommand request(SendRequests.Outgoing out, MessageQueue mq) {
    return requests.command(out, mq);
  }

  private static SendResult result(
      SendRequests.Outgoing out, MessageQueue mq, String addr, RemotingCommand resp) {
    SendStatus status =
        switch (resp.code()) {
          case ResponseCode.SUCCESS -> SendStatus.SEND_OK;
          case ResponseCode.FLUSH_DISK_TIMEOUT -> SendStatus.FLUSH_DISK_TIMEOUT;
          case ResponseCode.FLUSH_SLAVE_TIMEOUT -> SendStatus.FLUSH_SLAVE_TIMEOUT;
          case ResponseCode.SLAVE_NOT_AVAILABLE -> SendStatus.SLAVE_NOT_AVAILABLE;
          default -> throw new BrokerException(resp.code(), resp.remark(), addr);
        };
    MessageQueue stored = new MessageQueue(mq.topic(), mq.brokerName(), resp.extInt("queueId"));
    return new SendResult(
        status, out.msgId(), resp.ext("msgId"), stored, resp.extLong("queueOffset"));
  }

  /** The route to publish to, asking for the auto-create template's when the topic is new. */
  private Future<TopicRoute> publishRoute(String topic) {
    TopicRoute cached = core.cachedRoute(topic);
    if (cached != null && !cached.publishQueues().isEmpty()) {
      return Future.succeededFuture(cached);
    }
    return core.fetchRoute(topic)
        .recover(
            e -> {
              if (e instanceof BrokerException b && b.code() == ResponseCode.TOPIC_NOT_EXIST) {
                return core.queryRoute(options.createTopicKey())
                    .map(
                        template -> {
                          TopicRoute r =
                              TopicRoute.forNewTopic(
                                  topic, template, options.defaultTopicQueueNums());
                          core.putRoute(r);
                          return r;
                        })
                    .recover(
                        e2 ->
                            Future.failedFuture(
                                new ClientException(
                                    "no route of topic " + topic + " at the name servers", e)));
              }
              return Future.failedFuture(e);
            })
        .map(
            route -> {
              if (route.publishQueues().isEmpty()) {
                throw new ClientException(
                    "topic " + topic + " has no writable queue on a broker with a master");
              }
              return route;
            });
  }

  /** The next queue in turn; after a failure, preferably one on another broker. */
  private MessageQueue selectQueue(TopicRoute route, String avoidBroker) {
    List<MessageQueue> queues = route.publishQueues();
    int size = queues.size();
    for (int i = 0; i < size; i++) {
      int index =
          nextQueue.merge(
              route.topic(), ThreadLocalRandom.current().nextInt(size), (old, x) -> old + 1);
      MessageQueue mq = queues.get(Math.floorMod(index, size));
      if (avoidBroker == null || !mq.brokerName().equals(avoidBroker)) {
        return mq;
      }
    }
    return queues.get(Math.floorMod(nextQueue.merge(route.topic(), 0, (o, x) -> o + 1), size));
  }

  private static String masterOf(TopicRoute route, MessageQueue mq) {
    String addr = route.masterAddress(mq.brokerName());
    if (addr == null) {
      throw new ClientException("broker " + mq.brokerName() + " of " + mq + " has no master");
    }
    return addr;
  }

  private void heartbeat() {
    Set<String> masters = core.brokerAddresses(true);
    if (!masters.isEmpty()) {
      core.heartbeat(masters, HeartbeatBody.producer(core.clientId(), options.producerGroup()));
    }
  }
}
