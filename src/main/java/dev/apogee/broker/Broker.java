package dev.apogee.broker;

import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.client.ProducerGroups;
import dev.apogee.broker.group.SubscriptionGroupManager;
import dev.apogee.broker.longpoll.PullWaiters;
import dev.apogee.broker.offset.ConsumerOffsetManager;
import dev.apogee.broker.schedule.DelayOffsetTable;
import dev.apogee.broker.schedule.ScheduleMessageService;
import dev.apogee.broker.schedule.ScheduleMessageVerticle;
import dev.apogee.broker.state.JsonFile;
import dev.apogee.broker.topic.TopicConfigManager;
import dev.apogee.broker.topic.TopicValidator;
import dev.apogee.config.BrokerConfig;
import dev.apogee.config.BrokerRole;
import dev.apogee.config.StoreConfig;
import dev.apogee.metrics.BrokerMetrics;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingClient;
import dev.apogee.store.MessageStore;
import dev.apogee.store.message.UniqIdGenerator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker: its state (topics, groups, offsets, live clients, held pulls) shared by the {@link
 * BrokerVerticle} instances that serve its port, one per event loop, over one {@link MessageStore}.
 * It registers with its name servers every 30 s and at once after a topic change, saves offsets
 * every 5 s, drops clients silent for 120 s, and answers held pulls at their deadline. A master
 * also delivers delayed messages when they are due ({@link ScheduleMessageService}, on a worker of
 * its own).
 *
 * <p>Thread-safe: the shared state classes are; blocking work (saving files) runs on one worker.
 */
public final class Broker {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
  static final long CHANNEL_EXPIRY_MS = 120_000;
  private static final long CHANNEL_SCAN_MS = 10_000;
  private static final long OFFSET_PERSIST_MS = 5_000;
  private static final long PULL_EXPIRY_SCAN_MS = 200;
  private static final long STATS_SAMPLE_MS = 1_000;

  final Vertx vertx;
  final BrokerConfig config;
  final StoreConfig storeConfig;
  final MessageStore store;
  final LongSupplier clock;
  final TopicConfigManager topics;
  final SubscriptionGroupManager groups;
  final ConsumerOffsetManager offsets;
  final ConsumerGroups<Connection> consumers = new ConsumerGroups<>();
  final ProducerGroups<Connection> producers = new ProducerGroups<>();
  final PullWaiters pullWaiters = new PullWaiters();
  final BrokerStats stats = new BrokerStats(ZoneId.systemDefault());
  final BrokerMetrics metrics;
  final UniqIdGenerator uniqIds;

  /** Delayed delivery; null on a slave, which only copies its master's log. */
  final ScheduleMessageService schedule;

  private final WorkerExecutor stateWorker;
  private final NameServerRegistrar registrar;
  private final List<String> deployments = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private volatile String scheduleDeployment;
  private volatile int port;
  private volatile String brokerAddr;
  private volatile InetSocketAddress storeHost;

  private Broker(
      Vertx vertx,
      BrokerConfig config,
      StoreConfig storeConfig,
      MessageStore store,
      LongSupplier clock,
      BrokerMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.config = config;
    this.storeConfig = storeConfig;
    this.store = store;
    this.clock = clock;
    this.stateWorker =
        vertx.createSharedWorkerExecutor("apogee-broker-state-" + System.identityHashCode(this), 1);
    Executor persist =
        r ->
            stateWorker
                .executeBlocking(
                    () -> {
                      r.run();
                      return null;
                    },
                    true)
                .onFailure(e -> LOG.error("saving broker state failed: {}", e.toString()));
    this.topics =
        new TopicConfigManager(
            new JsonFile(storeConfig.configDir().resolve("topics.json")), persist, clock);
    this.groups =
        new SubscriptionGroupManager(
            new JsonFile(storeConfig.configDir().resolve("subscriptionGroup.json")),
            config.autoCreateSubscriptionGroup(),
            persist);
    this.offsets =
        new ConsumerOffsetManager(
            new JsonFile(storeConfig.configDir().resolve("consumerOffset.json")));
    this.uniqIds = UniqIdGenerator.forThisProcess(address(config.brokerIP1()));
    this.schedule =
        config.brokerRole() == BrokerRole.SLAVE
            ? null
            : new ScheduleMessageService(
                vertx,
                store,
                storeConfig.messageDelayLevel(),
                new DelayOffsetTable(
                    new JsonFile(storeConfig.configDir().resolve("delayOffset.json")),
                    storeConfig.messageDelayLevel().maxLevel(),
                    clock.getAsLong()),
                clock,
                stateWorker);
    this.registrar = new NameServerRegistrar(this);
    metrics.bind(new MetricSources());
    store.setFlushListener(metrics::flushLatency);
  }

  /** What the broker's gauges read; runs on the scraping thread, from concurrent structures. */
  private final class MetricSources implements BrokerMetrics.Sources {
    @Override
    public long commitLogBytes() {
      return store.commitLogMaxOffset() - store.commitLogMinOffset();
    }

    @Override
    public double diskUsedRatio() {
      return store.diskUsedRatio();
    }

    @Override
    public long dispatchBacklogBytes() {
      return store.dispatchBehindBytes();
    }

    @Override
    public int clients(String kind) {
      Set<String> ids = new HashSet<>();
      if (kind.equals("producer")) {
        for (String g : producers.groupNames()) {
          producers.channels(g).forEach(c -> ids.add(c.clientId()));
        }
      } else {
        for (String g : consumers.groupNames()) {
          ConsumerGroups.Group<Connection> group = consumers.find(g);
          if (group != null) {
            group.channels().forEach(c -> ids.add(c.clientId()));
          }
        }
      }
      return ids.size();
    }

    @Override
    public List<BrokerMetrics.Lag> lag() {
      List<BrokerMetrics.Lag> rows = new ArrayList<>();
      for (TopicConfig t : topics.all()) {
        for (String group : offsets.groupsOf(t.topicName())) {
          long behind = 0;
          for (Map.Entry<Integer, Long> e : offsets.offsets(group, t.topicName()).entrySet()) {
            long max = store.maxOffsetInQueue(t.topicName(), e.getKey());
            behind += Math.max(0, max - e.getValue());
          }
          rows.add(new BrokerMetrics.Lag(group, t.topicName(), behind));
        }
      }
      return rows;
    }

    @Override
    public Set<String> topics() {
      Set<String> names = new HashSet<>();
      for (TopicConfig t : topics.all()) {
        names.add(t.topicName());
      }
      return names;
    }
  }

  private static InetAddress address(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("brokerIP1 " + host + " is not an address", e);
    }
  }

  /**
   * Loads the broker's state, starts serving on {@code listenPort} with one verticle per event
   * loop, and registers with the name servers.
   */
  public static Future<Broker> start(
      Vertx vertx,
      BrokerConfig config,
      StoreConfig storeConfig,
      MessageStore store,
      LongSupplier clock,
      BrokerMetrics metrics) {
    Broker b = new Broker(vertx, config, storeConfig, store, clock, metrics);
    return vertx
        .executeBlocking(
            () -> {
              b.topics.load(
                  config.autoCreateTopicEnable(),
                  config.defaultTopicQueueNums(),
                  config.brokerClusterName(),
                  config.brokerName());
              b.groups.load();
              b.offsets.load();
              // As an official broker lists it: one queue per delay level (protocol doc 5.7).
              int levels = storeConfig.messageDelayLevel().maxLevel();
              b.topics.createIfAbsent(
                  TopicValidator.SCHEDULE_TOPIC, levels, Perm.READ | Perm.WRITE);
              return null;
            },
            false)
        .compose(v -> b.deploySchedule())
        .compose(v -> b.deploy())
        .map(v -> b);
  }

  private Future<Void> deploy() {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // One deployment of several instances: Vert.x shares the listening socket among them (also
    // for port 0, where they share one ephemeral port) and spreads connections over the loops.
    java.util.List<BrokerVerticle> made = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> {
              // Port 0 asks for an ephemeral port; -1 makes Vert.x share one among the instances.
              int p = config.listenPort() == 0 ? -1 : config.listenPort();
              BrokerVerticle v = new BrokerVerticle(this, p);
              made.add(v);
              return v;
            },
            new DeploymentOptions().setInstances(instances))
        .map(
            id -> {
              deployments.add(id);
              port = made.get(0).actualPort();
              brokerAddr = config.brokerIP1() + ":" + port;
              storeHost = new InetSocketAddress(address(config.brokerIP1()), port);
              return (Void) null;
            })
        .map(
            v -> {
              store.setArrivalListener(this::arrived);
              topics.onChange(registrar::registerSoon);
              timers.add(
                  vertx.setPeriodic(
                      PULL_EXPIRY_SCAN_MS, t -> pullWaiters.expire(clock.getAsLong())));
              timers.add(vertx.setPeriodic(CHANNEL_SCAN_MS, t -> expireChannels()));
              stats.sample(clock.getAsLong());
              timers.add(vertx.setPeriodic(STATS_SAMPLE_MS, t -> stats.sample(clock.getAsLong())));
              timers.add(vertx.setPeriodic(OFFSET_PERSIST_MS, t -> persistOffsets()));
              timers.add(
                  vertx.setPeriodic(NameServerRegistrar.PERIOD_MS, t -> registrar.registerAll()));
              registrar.registerAll();
              LOG.info(
                  "broker {} of {} listening on {} ({} event loops)",
                  config.brokerName(),
                  config.brokerClusterName(),
                  brokerAddr,
                  instances);
              return null;
            });
  }

  /** Wakes held pulls of a grown queue, and the delay level of a grown schedule queue. */
  private void arrived(String topic, int queueId, long maxOffset) {
    pullWaiters.arrived(topic, queueId, maxOffset);
    if (schedule != null && topic.equals(TopicValidator.SCHEDULE_TOPIC)) {
      schedule.wake(queueId);
    }
  }

  /** Delivers delayed messages on a one-thread worker pool of its own. */
  private Future<Void> deploySchedule() {
    if (schedule == null) {
      return Future.succeededFuture();
    }
    DeploymentOptions worker =
        new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setInstances(1)
            .setWorkerPoolName("apogee-schedule-" + System.identityHashCode(this))
            .setWorkerPoolSize(1);
    return vertx
        .deployVerticle(new ScheduleMessageVerticle(schedule), worker)
        .map(
            id -> {
              scheduleDeployment = id;
              return null;
            });
  }

  private void expireChannels() {
    long now = clock.getAsLong();
    consumers
        .expire(now, CHANNEL_EXPIRY_MS)
        .forEach(
            e -> {
              LOG.info(
                  "consumer {} of {} silent for 120 s: dropped",
                  e.getValue().clientId(),
                  e.getKey());
              ClientNotifier.membersChanged(this, e.getKey());
            });
    producers.expire(now, CHANNEL_EXPIRY_MS);
  }

  private void persistOffsets() {
    stateWorker
        .executeBlocking(offsets::persist, true)
        .onFailure(e -> LOG.error("saving consumer offsets failed: {}", e.toString()));
  }

  /** {@code ip:port} clients reach this broker at. */
  public String brokerAddr() {
    return brokerAddr;
  }

  /** The port actually bound. */
  public int port() {
    return port;
  }

  /** The store host written into records (the broker's address). */
  InetSocketAddress storeHost() {
    return storeHost;
  }

  /** Whether the initial registration with every name server succeeded at least once. */
  public boolean registered() {
    return registrar.registeredOnce();
  }

  /** A future completed once the broker is registered with at least one name server. */
  public Future<Void> whenRegistered() {
    return registrar.firstRegistration();
  }

  /** Unregisters, stops serving and saves state. */
  public Future<Void> stop() {
    timers.forEach(vertx::cancelTimer);
    // A name server that cannot be told drops this broker when it stops hearing from it.
    Future<Void> f =
        registrar
            .unregisterAll()
            .recover(
                e -> {
                  LOG.warn("cannot unregister from the name servers: {}", e.toString());
                  return Future.succeededFuture();
                });
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String d = deployments.get(i);
      f = f.compose(v -> vertx.undeploy(d));
    }
    String scheduling = scheduleDeployment;
    if (scheduling != null) {
      // Its stop waits for the writes in flight and saves the delay offsets.
      f = f.compose(v -> vertx.undeploy(scheduling));
    }
    return f.compose(
            v ->
                stateWorker.executeBlocking(
                    () -> {
                      offsets.persist();
                      topics.persist();
                      groups.save();
                      return null;
                    },
                    true))
        .compose(v -> registrar.close())
        .eventually(stateWorker::close)
        .mapEmpty();
  }

  RemotingClient namesrvClient() {
    return registrar.client();
  }
}
