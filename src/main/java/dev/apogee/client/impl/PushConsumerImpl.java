package dev.apogee.client.impl;

import dev.apogee.client.BrokerException;
import dev.apogee.client.ClientException;
import dev.apogee.client.MessageHandler;
import dev.apogee.client.MessageModel;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.PullResult;
import dev.apogee.client.PushConsumer;
import dev.apogee.client.PushConsumerOptions;
import dev.apogee.client.ReceivedMessage;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PushConsumer} over the remoting protocol: rebalancing, a pull loop per owned queue, the
 * hand-over to the handler within the in-flight bound, local retries and offset commits.
 *
 * <p>Everything below the public methods runs on the consumer's context (see {@link ClientCore}),
 * including the completion of handler futures, which are moved there.
 */
public final class PushConsumerImpl implements PushConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(PushConsumerImpl.class);

  /** The official client's pause after a FLOW_CONTROL answer. */
  private static final long FLOW_CONTROL_DELAY_MS = 20;

  private final ClientCore core;
  private final PushConsumerOptions options;
  private final String group;
  private final boolean clustering;
  private final BrokerOffsets brokerOffsets;
  private final LocalOffsetStore localOffsets;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private volatile MessageHandler handler;
  private volatile Set<MessageQueue> assignment = Set.of();

  // ---- on the context
  private final Map<MessageQueue, ProcessQueue> queues = new HashMap<>();
  private final ArrayDeque<ProcessQueue> waitingForRoom = new ArrayDeque<>();
  private final ArrayDeque<ProcessQueue> ready = new ArrayDeque<>();
  private final Set<String> heartbeated = new HashSet<>();
  private int inFlight;
  private int buffered;
  private boolean started;
  private boolean dispatching;
  private boolean rebalancing;
  private Promise<Void> rebalanceAgain;

  public PushConsumerImpl(Vertx vertx, PushConsumerOptions options) {
    if (options.consumerGroup() == null) {
      throw new IllegalArgumentException("consumerGroup must be set");
    }
    this.options = new PushConsumerOptions(options);
    this.group = this.options.consumerGroup();
    this.clustering = this.options.messageModel() == MessageModel.CLUSTERING;
    this.core = new ClientCore(vertx, this.options);
    this.brokerOffsets = new BrokerOffsets(core, group);
    this.localOffsets =
        clustering ? null : new LocalOffsetStore(vertx, this.options.localOffsetStoreDir(), group);
  }

  @Override
  public PushConsumer subscribe(String topic, String expression) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be set");
    }
    subscriptions.put(topic, Subscription.of(topic, expression, System.currentTimeMillis()));
    return this;
  }

  @Override
  public PushConsumer handler(MessageHandler handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public Set<MessageQueue> assignment() {
    return assignment;
  }

  // ------------------------------------------------------------------ start

  @Override
  public Future<Void> start() {
    return core.callOpen(
        () -> {
          if (started) {
            return Future.failedFuture(new ClientException("consumer already started"));
          }
          if (handler == null || subscriptions.isEmpty()) {
            return Future.failedFuture(
                new ClientException("subscribe to a topic and set a handler before start"));
          }
          started = true;
          if (clustering) {
            String retry = StoredMessageDecoder.RETRY_TOPIC_PREFIX + group;
            subscriptions.put(
                retry, Subscription.of(retry, Subscription.ALL, System.currentTimeMillis()));
          }
          core.remoting.registerProcessor(
              RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
              (connection, request) -> {
                core.context.runOnContext(v -> rebalance());
                return Future.succeededFuture(null);
              });
          Future<Void> loaded =
              localOffsets != null ? localOffsets.load() : Future.succeededFuture();
          return loaded
              .compose(v -> fetchMissingRoutes())
              .compose(v -> heartbeat())
              .compose(v -> fetchMissingRoutes())
              .compose(v -> rebalance())
              .onSuccess(v -> startTimers());
        });
  }

  private void startTimers() {
    Duration poll = options.pollNameServerInterval();
    core.every(
        poll,
        poll,
        "route refresh",
        () ->
            core.refreshRoutes(r -> {})
                .compose(v -> fetchMissingRoutes())
                .compose(v -> ensureHeartbeat())
                .onComplete(ar -> rebalance()));
    core.every(
        options.heartbeatInterval(), options.heartbeatInterval(), "heartbeat", this::heartbeat);
    core.every(
        options.rebalanceInterval(), options.rebalanceInterval(), "rebalance", this::rebalance);
    core.every(
        options.persistOffsetInterval(),
        options.persistOffsetInterval(),
        "offset commit",
        this::persistOffsets);
  }

  /** Fetches the routes of subscribed topics not cached yet; failures are logged and skipped. */
  private Future<Void> fetchMissingRoutes() {
    List<Future<?>> fetches = new ArrayList<>();
    for (String topic : subscriptions.keySet()) {
      if (core.cachedRoute(topic) == null) {
        fetches.add(
            core.fetchRoute(topic)
                .onFailure(
                    e -> {
                      if (topic.startsWith(StoredMessageDecoder.RETRY_TOPIC_PREFIX)) {
                        LOG.debug("no route of {} yet: {}", topic, e.getMessage());
                      } else {
                        LOG.warn("no route of {} for group {}: {}", topic, group, e.getMessage());
                      }
                    }));
      }
    }
    return Future.join(fetches).otherwiseEmpty().mapEmpty();
  }

  // ------------------------------------------------------------------ heartbeats

  private Future<Void> heartbeat() {
    Set<String> brokers = core.brokerAddresses(false);
    if (brokers.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonObject body =
        HeartbeatBody.pushConsumer(
            core.clientId(),
            group,
            options.messageModel(),
            options.consumeFromWhere(),
            subscriptions.values());
    return core.heartbeat(brokers, body)
        .onSuccess(v -> heartbeated.addAll(brokers))
        .otherwiseEmpty();
  }

  /** Heartbeats again when a broker appeared that has not had one, before pulling from it. */
  private Future<Void> ensureHeartbeat() {
    return heartbeated.containsAll(core.brokerAddresses(false))
        ? Future.succeededFuture()
        : heartbeat();
  }

  // ------------------------------------------------------------------ rebalancing

  /** Divides the queues again; a call during a division runs one more after it. */
  private Future<Void> rebalance() {
    if (core.isClosed() || !started) {
      return Future.succeededFuture();
    }
    if (rebalancing) {
      if (rebalanceAgain == null) {
        rebalanceAgain = Promise.promise();
      }
      return rebalanceAgain.future();
    }
    rebalancing = true;
    Future<Void> round = fetchMissingRoutes().compose(v -> ensureHeartbeat());
    for (String topic : subscriptions.keySet()) {
      round =
          round.compose(
              v ->
                  rebalanceTopic(topic)
                      .recover(
                          e -> {
                            if (!core.isClosed()) {
                              LOG.warn(
                                  "dividing the queues of {} for {} failed: {}",
                                  topic,
                                  group,
                                  e.getMessage());
                            }
                            return Future.succeededFuture();
                          }));
    }
    return round.onComplete(
        ar -> {
          rebalancing = false;
          assignment = Set.copyOf(queues.keySet());
          Promise<Void> again = rebalanceAgain;
          rebalanceAgain = null;
          if (again != null) {
            rebalance().onComplete(again);
          }
        });
  }

  private Future<Void> rebalanceTopic(String topic) {
    TopicRoute route = core.cachedRoute(topic);
    if (route == null || route.subscribeQueues().isEmpty()) {
      return Future.succeededFuture();
    }
    List<MessageQueue> all = route.subscribeQueues();
    if (!clustering) {
      updateQueues(topic, new HashSet<>(all));
      return Future.succeededFuture();
    }
    return consumerIds(route)
        .map(
            ids -> {
              List<String> sorted = new ArrayList<>(ids);
              sorted.sort(null);
              if (!sorted.contains(core.clientId())) {
                LOG.debug("{} not yet among the members of {}: {}", core.clientId(), group, sorted);
              }
              updateQueues(
                  topic, new HashSet<>(QueueAllocation.averagely(all, sorted, core.clientId())));
              return null;
            });
  }

  /** GET_CONSUMER_LIST_BY_GROUP at one broker of the route (a random one, master first). */
  private Future<List<String>> consumerIds(TopicRoute route) {
    List<String> names = new ArrayList<>(route.brokers().keySet());
    String addr = route.readAddress(names.get(ThreadLocalRandom.current().nextInt(names.size())));
    RemotingCommand req =
        RemotingCommand.request(
            RequestCode.GET_CONSUMER_LIST_BY_GROUP, Map.of("consumerGroup", group));
    return core.invoke(
        addr,
        req,
        core.requestTimeoutMillis(),
        resp -> {
          if (resp.code() != ResponseCode.SUCCESS) {
            throw new BrokerException(resp.code(), resp.remark(), addr);
          }
          JsonArray list =
              new JsonObject(new String(resp.bodyBytes(), StandardCharsets.UTF_8))
                  .getJsonArray("consumerIdList", new JsonArray());
          List<String> ids = new ArrayList<>(list.size());
          for (int i = 0; i < list.size(); i++) {
            ids.add(list.getString(i));
          }
          return ids;
        });
  }

  private void updateQueues(String topic, Set<MessageQueue> mine) {
    for (ProcessQueue pq : new ArrayList<>(queues.values())) {
      if (pq.mq.topic().equals(topic) && !mine.contains(pq.mq)) {
        LOG.debug("{} gives up {}", core.clientId(), pq.mq);
        drop(pq);
        commitDropped(pq);
      }
    }
    for (MessageQueue mq : mine) {
      if (!queues.containsKey(mq)) {
        LOG.debug("{} takes {}", core.clientId(), mq);
        take(mq);
      }
    }
  }

  private void take(MessageQueue mq) {
    ProcessQueue pq = new ProcessQueue(mq);
    queues.put(mq, pq);
    startOffset(mq)
        .onComplete(
            ar -> {
              if (pq.dropped) {
                return;
              }
              if (ar.failed()) {
                if (!core.isClosed()) {
                  LOG.warn("no start offset for {} ({}): {}", mq, group, ar.cause().getMessage());
                }
                queues.remove(mq);
                assignment = Set.copyOf(queues.keySet());
                return;
              }
              pq.nextOffset = ar.result();
              pull(pq);
            });
  }

  private Future<Long> startOffset(MessageQueue mq) {
    if (clustering) {
      return brokerOffsets
          .committed(mq, false)
          .compose(
              c -> {
                if (c >= 0) {
                  queues.computeIfPresent(mq, (k, pq) -> withCommitted(pq, c));
                  return Future.succeededFuture(c);
                }
                return brokerOffsets.initial(
                    mq, options.consumeFromWhere(), options.consumeTimestamp());
              });
    }
    long local = localOffsets.get(mq);
    return local >= 0
        ? Future.succeededFuture(local)
        : brokerOffsets.initial(mq, options.consumeFromWhere(), options.consumeTimestamp());
  }

  private static ProcessQueue withCommitted(ProcessQueue pq, long committed) {
    pq.lastCommitted = committed;
    return pq;
  }

  /** Stops a queue: its buffered messages and pending retries are let go. */
  private void drop(ProcessQueue pq) {
    pq.dropped = true;
    queues.remove(pq.mq, pq);
    buffered -= pq.buffer.size();
    pq.buffer.clear();
    for (long timer : pq.retryTimers.values()) {
      core.vertx.cancelTimer(timer);
      inFlight--;
    }
    pq.retryTimers.clear();
    waitingForRoom.remove(pq);
    ready.remove(pq);
    resumeWaiting();
  }

  private void commitDropped(ProcessQueue pq) {
    if (!pq.started()) {
      return;
    }
    long offset = pq.committable();
    if (clustering) {
      if (offset != pq.lastCommitted) {
        brokerOffsets
            .commit(pq.mq, offset)
            .onFailure(
                e -> LOG.warn("committing {} at {} failed: {}", pq.mq, offset, e.getMessage()));
      }
    } else {
      localOffsets.put(pq.mq, offset);
    }
  }

  // ------------------------------------------------------------------ pulling

  private void pull(ProcessQueue pq) {
    if (pq.dropped || pq.pulling || core.isClosed()) {
      return;
    }
    int room = options.maxInFlight() - inFlight - buffered;
    if (room <= 0) {
      if (!pq.waitingForRoom) {
        pq.waitingForRoom = true;
        waitingForRoom.add(pq);
      }
      return;
    }
    TopicRoute route = core.cachedRoute(pq.mq.topic());
    String addr = route == null ? null : route.readAddress(pq.mq.brokerName());
    Subscription sub = subscriptions.get(pq.mq.topic());
    if (addr == null || sub == null) {
      LOG.warn("no broker address for {}, pulling again later", pq.mq);
      pullLater(pq, options.pullErrorDelay().toMillis());
      return;
    }
    pq.pulling = true;
    long suspend = options.pollTimeout().toMillis();
    RemotingCommand req =
        PullRequests.pull(
            group,
            pq.mq,
            pq.nextOffset,
            Math.min(options.pullBatchSize(), room),
            clustering ? pq.committable() : 0,
            suspend,
            sub,
            false);
    core.invoke(
            addr,
            req,
            suspend + Math.max(core.requestTimeoutMillis(), PullRequests.LONG_POLL_MARGIN_MS),
            resp -> PullRequests.result(resp, pq.mq, sub, addr))
        .onComplete(ar -> pulled(pq, ar));
  }

  private void pullLater(ProcessQueue pq, long delayMillis) {
    pq.pulling = true;
    core.vertx.setTimer(
        Math.max(1, delayMillis),
        t -> {
          pq.pulling = false;
          pull(pq);
        });
  }

  private void pulled(ProcessQueue pq, AsyncResult<PullResult> ar) {
    pq.pulling = false;
    if (pq.dropped || core.isClosed()) {
      return;
    }
    if (ar.failed()) {
      Throwable e = ar.cause();
      long delay = options.pullErrorDelay().toMillis();
      boolean subscriptionLost = false;
      if (e instanceof BrokerException b) {
        if (b.code() == ResponseCode.FLOW_CONTROL) {
          delay = FLOW_CONTROL_DELAY_MS;
        }
        subscriptionLost =
            b.code() == ResponseCode.SUBSCRIPTION_NOT_EXIST
                || b.code() == ResponseCode.SUBSCRIPTION_NOT_LATEST;
      }
      LOG.warn("pull of {} for {} failed, again in {} ms: {}", pq.mq, group, delay, e.getMessage());
      if (subscriptionLost) {
        // the broker lost or has an older subscription: tell it again before the next pull
        long later = delay;
        pq.pulling = true;
        heartbeat()
            .onComplete(
                x -> {
                  pq.pulling = false;
                  pullLater(pq, later);
                });
      } else {
        pullLater(pq, delay);
      }
      return;
    }
    PullResult r = ar.result();
    switch (r.status()) {
      case FOUND -> {
        pq.nextOffset = r.nextOffset();
        for (ReceivedMessage m : r.messages()) {
          pq.opened(m.queueOffset());
          pq.buffer.add(m);
        }
        buffered += r.messages().size();
        if (!pq.buffer.isEmpty() && !ready.contains(pq)) {
          ready.add(pq);
        }
        dispatch();
      }
      case NO_NEW_MSG, NO_MATCHED_MSG -> pq.nextOffset = r.nextOffset();
      case OFFSET_ILLEGAL -> {
        LOG.warn(
            "offset {} of {} is outside the queue [{}, {}), moving to {}",
            pq.nextOffset,
            pq.mq,
            r.minOffset(),
            r.maxOffset(),
            r.nextOffset());
        pq.nextOffset = r.nextOffset();
      }
    }
    pull(pq);
  }

  // ------------------------------------------------------------------ handing over

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
      dispatchLoop();
    } finally {
      dispatching = false;
    }
  }

  private void dispatchLoop() {
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
              if (pq.dropped || core.isClosed()) {
                return;
              }
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
    resumeWaiting();
  }

  private void resumeWaiting() {
    while (!waitingForRoom.isEmpty() && options.maxInFlight() - inFlight - buffered > 0) {
      ProcessQueue pq = waitingForRoom.poll();
      pq.waitingForRoom = false;
      pull(pq);
    }
  }

  // ------------------------------------------------------------------ offsets and closing

  private void persistOffsets() {
    for (ProcessQueue pq : queues.values()) {
      if (!pq.started()) {
        continue;
      }
      long offset = pq.committable();
      if (clustering) {
        if (offset != pq.lastCommitted) {
          pq.lastCommitted = offset;
          brokerOffsets
              .commitOneway(pq.mq, offset)
              .onFailure(
                  e -> LOG.warn("committing {} at {} failed: {}", pq.mq, offset, e.getMessage()));
        }
      } else {
        localOffsets.put(pq.mq, offset);
      }
    }
    if (localOffsets != null) {
      localOffsets
          .save()
          .onFailure(e -> LOG.warn("writing the offsets of {} failed: {}", group, e.getMessage()));
    }
  }

  @Override
  public Future<Void> close() {
    return core.call(
        () -> {
          if (core.isClosed()) {
            return Future.succeededFuture();
          }
          core.markClosed();
          List<Future<Void>> commits = new ArrayList<>();
          for (ProcessQueue pq : new ArrayList<>(queues.values())) {
            drop(pq);
            if (!pq.started()) {
              continue;
            }
            long offset = pq.committable();
            if (clustering) {
              commits.add(
                  brokerOffsets
                      .commit(pq.mq, offset)
                      .onFailure(
                          e ->
                              LOG.warn(
                                  "committing {} at {} on close failed: {}",
                                  pq.mq,
                                  offset,
                                  e.getMessage())));
            } else {
              localOffsets.put(pq.mq, offset);
            }
          }
          assignment = Set.of();
          if (localOffsets != null) {
            commits.add(localOffsets.save());
          }
          Set<String> brokers = started ? core.brokerAddresses(false) : Set.of();
          return Future.join(commits)
              .otherwiseEmpty()
              .compose(v -> core.unregister(brokers, null, group))
              .eventually(core::closeConnections);
        });
  }
}
