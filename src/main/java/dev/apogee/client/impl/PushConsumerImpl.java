package dev.apogee.client.impl;

import dev.apogee.client.BrokerException;
import dev.apogee.client.ClientException;
import dev.apogee.client.MessageHandler;
import dev.apogee.client.MessageModel;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.PullResult;
import dev.apogee.client.PushConsumer;
import dev.apogee.client.PushConsumerOptions;
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

  /** How soon a subscribed topic without a route is looked up again. */
  private static final long ROUTE_RETRY_MS = 1_000;

  private final ClientCore core;
  private final PushConsumerOptions options;
  private final String group;
  private final boolean clustering;
  private final LocalOffsetStore localOffsets;
  private final ConsumerOffsets offsets;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private volatile MessageHandler handler;
  private volatile boolean startCalled;
  private volatile Set<MessageQueue> assignment = Set.of();

  // ---- on the context
  private final Map<MessageQueue, ProcessQueue> queues = new HashMap<>();
  private final ArrayDeque<ProcessQueue> waitingForRoom = new ArrayDeque<>();
  private final Set<String> heartbeated = new HashSet<>();
  private final Set<String> reportedWithoutRoute = new HashSet<>();
  private Dispatcher dispatcher;
  private boolean started;
  private boolean rebalancing;
  private long routeRetryTimer = -1;
  private Promise<Void> rebalanceAgain;

  public PushConsumerImpl(Vertx vertx, PushConsumerOptions options) {
    if (options.consumerGroup() == null) {
      throw new IllegalArgumentException("consumerGroup must be set");
    }
    this.options = new PushConsumerOptions(options);
    this.group = this.options.consumerGroup();
    this.clustering = this.options.messageModel() == MessageModel.CLUSTERING;
    this.core = new ClientCore(vertx, this.options);
    BrokerOffsets brokerOffsets = new BrokerOffsets(core, group);
    this.localOffsets =
        clustering
            ? null
            : new LocalOffsetStore(vertx, this.options.localOffsetStoreDir(), group, brokerOffsets);
    this.offsets = clustering ? brokerOffsets : localOffsets;
  }

  @Override
  public PushConsumer subscribe(String topic, String expression) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be set");
    }
    refuseAfterStart("subscribe");
    subscriptions.put(topic, Subscription.of(topic, expression, System.currentTimeMillis()));
    return this;
  }

  @Override
  public PushConsumer handler(MessageHandler handler) {
    refuseAfterStart("set the handler");
    this.handler = handler;
    return this;
  }

  private void refuseAfterStart(String what) {
    if (startCalled) {
      throw new IllegalStateException("cannot " + what + " after start()");
    }
  }

  @Override
  public Set<MessageQueue> assignment() {
    return assignment;
  }

  // ------------------------------------------------------------------ start

  @Override
  public Future<Void> start() {
    startCalled = true;
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
          dispatcher = new Dispatcher(core, options, group, handler, this::resumeWaiting);
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
            core.refreshRoutes()
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

  /**
   * Fetches the routes of subscribed topics not cached yet. A topic without a route is reported
   * once (the group's retry topic only at debug level: brokers create it on the first heartbeat).
   */
  private Future<Void> fetchMissingRoutes() {
    List<Future<?>> fetches = new ArrayList<>();
    for (String topic : subscriptions.keySet()) {
      if (core.cachedRoute(topic) == null) {
        fetches.add(
            core.fetchRoute(topic)
                .onSuccess(r -> reportedWithoutRoute.remove(topic))
                .onFailure(
                    e -> {
                      if (topic.startsWith(StoredMessageDecoder.RETRY_TOPIC_PREFIX)
                          || !reportedWithoutRoute.add(topic)) {
                        LOG.debug("no route of {} yet: {}", topic, e.getMessage());
                      } else {
                        LOG.warn(
                            "no route of {} for group {} yet, trying again every second: {}",
                            topic,
                            group,
                            e.getMessage());
                      }
                    }));
      }
    }
    return Future.join(fetches).otherwiseEmpty().mapEmpty();
  }

  /**
   * While a subscribed topic has no route (it may be created by a first send any moment), divides
   * the queues again after a second rather than after the rebalance interval.
   */
  private void retryMissingRoutes() {
    if (core.isClosed() || routeRetryTimer >= 0) {
      return;
    }
    boolean missing =
        subscriptions.keySet().stream()
            .anyMatch(
                t ->
                    !t.startsWith(StoredMessageDecoder.RETRY_TOPIC_PREFIX)
                        && core.cachedRoute(t) == null);
    if (missing) {
      routeRetryTimer =
          core.vertx.setTimer(
              ROUTE_RETRY_MS,
              t -> {
                routeRetryTimer = -1;
                rebalance();
              });
    }
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
          retryMissingRoutes();
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
    String addr =
        names.isEmpty()
            ? null
            : route.readAddress(names.get(ThreadLocalRandom.current().nextInt(names.size())));
    if (addr == null) {
      return Future.failedFuture(
          new ClientException("the route of " + route.topic() + " names no broker address"));
    }
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
        commitConfirmed(pq);
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
    offsets
        .start(pq, options.consumeFromWhere(), options.consumeTimestamp())
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

  /** Stops a queue: its buffered messages and pending retries are let go. */
  private void drop(ProcessQueue pq) {
    pq.dropped = true;
    queues.remove(pq.mq, pq);
    dispatcher.drop(pq);
    waitingForRoom.remove(pq);
    resumeWaiting();
  }

  /** Commits what {@code pq} completed, waiting for the answer; a failure is logged. */
  private Future<Void> commitConfirmed(ProcessQueue pq) {
    if (!pq.started()) {
      return Future.succeededFuture();
    }
    return offsets
        .commit(pq, true)
        .onFailure(
            e ->
                LOG.warn(
                    "committing {} at {} failed: {}", pq.mq, pq.committable(), e.getMessage()));
  }

  // ------------------------------------------------------------------ pulling

  private void pull(ProcessQueue pq) {
    if (pq.dropped || pq.pulling || core.isClosed()) {
      return;
    }
    int room = dispatcher.room();
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
      if (!pq.failing) {
        pq.failing = true;
        LOG.warn("no broker address for {} in the route, pulling again later", pq.mq);
      }
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
            offsets.piggyback(pq),
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
      if (pq.failing) {
        LOG.debug("pull of {} for {} failed again: {}", pq.mq, group, e.getMessage());
      } else {
        pq.failing = true;
        LOG.warn(
            "pull of {} for {} failed, trying again every {} ms: {}",
            pq.mq,
            group,
            delay,
            e.getMessage());
      }
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
    if (pq.failing) {
      pq.failing = false;
      LOG.info("pulling {} for {} works again", pq.mq, group);
    }
    PullResult r = ar.result();
    switch (r.status()) {
      case FOUND -> {
        pq.nextOffset = r.nextOffset();
        dispatcher.accept(pq, r.messages());
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

  /** Pulls again the queues that waited for room, while there is room. */
  private void resumeWaiting() {
    while (!waitingForRoom.isEmpty() && dispatcher.room() > 0) {
      ProcessQueue pq = waitingForRoom.poll();
      pq.waitingForRoom = false;
      pull(pq);
    }
  }

  // ------------------------------------------------------------------ offsets and closing

  private void persistOffsets() {
    for (ProcessQueue pq : queues.values()) {
      if (pq.started()) {
        offsets
            .commit(pq, false)
            .onFailure(
                e ->
                    LOG.warn(
                        "committing {} at {} failed: {}", pq.mq, pq.committable(), e.getMessage()));
      }
    }
    offsets
        .flush()
        .onFailure(e -> LOG.warn("writing the offsets of {} failed: {}", group, e.getMessage()));
  }

  @Override
  public Future<Void> close() {
    return core.call(
        () -> {
          if (core.isClosed()) {
            return Future.succeededFuture();
          }
          core.markClosed();
          if (routeRetryTimer >= 0) {
            core.vertx.cancelTimer(routeRetryTimer);
          }
          List<Future<Void>> commits = new ArrayList<>();
          for (ProcessQueue pq : new ArrayList<>(queues.values())) {
            drop(pq);
            commits.add(commitConfirmed(pq));
          }
          assignment = Set.of();
          Set<String> brokers = started ? core.brokerAddresses(false) : Set.of();
          return Future.join(commits)
              .otherwiseEmpty()
              .compose(v -> offsets.flush())
              .otherwiseEmpty()
              .compose(v -> core.unregister(brokers, null, group))
              .eventually(core::closeConnections);
        });
  }
}
