package dev.apogee;

import dev.apogee.broker.Broker;
import dev.apogee.config.ApogeeConfig;
import dev.apogee.config.BrokerConfig;
import dev.apogee.config.ConfigLoader;
import dev.apogee.gateway.GatewayVerticle;
import dev.apogee.metrics.BrokerMetrics;
import dev.apogee.namesrv.NameServerVerticle;
import dev.apogee.store.MessageStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one Apogee process, started in order (name server, store, broker) and stopped in
 * reverse. Standalone runs all of them, with the broker registering at the in-process name server
 * unless {@code namesrvAddr} says otherwise. Start completes once the broker is registered with a
 * name server (or has none to register with), or after 10 s without a name server's answer, with a
 * warning: the broker then serves and keeps trying ({@link #registered()} tells which). Call {@link
 * #stop()} once, from any thread.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final long FIRST_REGISTRATION_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private NameServerVerticle nameServer;
  private String nameServerDeployment;
  private MessageStore store;
  private Broker broker;
  private GatewayVerticle gateway;
  private String gatewayDeployment;
  private volatile boolean ready;

  private Node(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts the services of {@code role}; fails with the first service that fails. */
  public static Future<Node> start(Vertx vertx, ConfigLoader.Role role, ApogeeConfig config) {
    Node n = new Node(vertx);
    if (role == ConfigLoader.Role.GATEWAY) {
      return startGateway(n, config);
    }
    Future<Void> nameServerUp = Future.succeededFuture();
    if (role != ConfigLoader.Role.BROKER) {
      n.nameServer =
          new NameServerVerticle(
              "0.0.0.0", config.nameServer().listenPort(), System::currentTimeMillis);
      nameServerUp =
          vertx
              .deployVerticle(n.nameServer)
              .map(
                  id -> {
                    n.nameServerDeployment = id;
                    return null;
                  });
    }
    Future<Void> f = nameServerUp;
    if (role != ConfigLoader.Role.NAMESRV) {
      BrokerMetrics metrics = newMetrics(config);
      Future<Void> gatewayUp = Future.succeededFuture();
      if (config.gateway().gatewayEnable()) {
        n.gateway =
            new GatewayVerticle(
                config.gateway(),
                metrics,
                n::isReady,
                () -> brokerConfig(role, config, n).namesrvAddr(),
                config.store().maxMessageSize());
        gatewayUp =
            vertx
                .deployVerticle(n.gateway)
                .map(
                    id -> {
                      n.gatewayDeployment = id;
                      return null;
                    });
      }
      // The store recovers while the name server starts: they share nothing.
      Future<MessageStore> storeUp =
          MessageStore.open(vertx, config.store(), config.flush()).onSuccess(s -> n.store = s);
      f =
          Future.all(nameServerUp, storeUp, gatewayUp)
              .compose(
                  v ->
                      Broker.start(
                          vertx,
                          brokerConfig(role, config, n),
                          config.store(),
                          storeUp.result(),
                          System::currentTimeMillis,
                          metrics))
              .compose(
                  b -> {
                    n.broker = b;
                    // Name servers that are down or slow must not keep a broker from serving:
                    // RocketMQ brokers start anyway and register when they can, and so does this
                    // one (the registration is retried every 30 s).
                    return b.whenRegistered()
                        .timeout(
                            FIRST_REGISTRATION_TIMEOUT_MS,
                            java.util.concurrent.TimeUnit.MILLISECONDS)
                        .recover(
                            e -> {
                              LOG.warn(
                                  "not registered with a name server after {} ms ({}): serving"
                                      + " anyway, registration is retried every 30 s",
                                  FIRST_REGISTRATION_TIMEOUT_MS,
                                  e.getMessage());
                              return Future.succeededFuture();
                            });
                  });
    }
    return f.map(
            v -> {
              n.ready = true;
              return n;
            })
        .recover(e -> n.stop().transform(x -> Future.failedFuture(e)));
  }

  // The HTTP side alone, reaching a cluster through its name servers.
  private static Future<Node> startGateway(Node n, ApogeeConfig config) {
    String nameServers = config.broker().namesrvAddr();
    n.gateway =
        new GatewayVerticle(
            config.gateway(),
            newMetrics(config),
            n::isReady,
            () -> nameServers,
            config.store().maxMessageSize());
    return n.vertx
        .deployVerticle(n.gateway)
        .map(
            id -> {
              n.gatewayDeployment = id;
              n.ready = true;
              return n;
            })
        .recover(e -> n.stop().transform(x -> Future.failedFuture(e)));
  }

  // Into Vert.x's own Prometheus registry when the process enabled it (one scrape shows both).
  private static BrokerMetrics newMetrics(ApogeeConfig config) {
    MeterRegistry vertxRegistry = BackendRegistries.getDefaultNow();
    return new BrokerMetrics(
        vertxRegistry instanceof PrometheusMeterRegistry p ? p : null,
        config.gateway().metricsMaxTopics());
  }

  private static BrokerConfig brokerConfig(ConfigLoader.Role role, ApogeeConfig config, Node n) {
    BrokerConfig b = config.broker();
    if (role != ConfigLoader.Role.STANDALONE
        || (b.namesrvAddr() != null && !b.namesrvAddr().isBlank())) {
      return b;
    }
    return new BrokerConfig(
        b.brokerClusterName(),
        b.brokerName(),
        b.brokerId(),
        "127.0.0.1:" + n.nameServer.actualPort(),
        b.listenPort(),
        b.brokerIP1(),
        b.autoCreateTopicEnable(),
        b.autoCreateSubscriptionGroup(),
        b.defaultTopicQueueNums(),
        b.brokerRole());
  }

  /** Where this node listens, for the start-up line. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (nameServer != null) {
      parts.add("name server :" + nameServer.actualPort());
    }
    if (broker != null) {
      parts.add("broker " + broker.brokerAddr());
    }
    if (gateway != null) {
      parts.add("HTTP :" + gateway.actualPort());
    }
    return String.join(", ", parts);
  }

  /** The name server's bound port, or -1. */
  public int nameServerPort() {
    return nameServer == null ? -1 : nameServer.actualPort();
  }

  /**
   * Started, store recovered and, for a broker, registered with a name server; false again once
   * stopping.
   */
  public boolean isReady() {
    return ready && registered();
  }

  /** Whether the broker (if any) has registered with a name server. */
  public boolean registered() {
    Broker b = broker;
    return b == null || b.whenRegistered().succeeded();
  }

  /** The HTTP server's bound port, or -1 without one. */
  public int httpPort() {
    return gateway == null ? -1 : gateway.actualPort();
  }

  /** The HTTP gateway, or null without one. */
  public GatewayVerticle gateway() {
    return gateway;
  }

  /** The store, or null for a name server node. */
  public MessageStore store() {
    return store;
  }

  /** The broker, or null for a name server node. */
  public Broker broker() {
    return broker;
  }

  /** Stops the services in reverse order of start; completes when the store is closed. */
  public Future<Void> stop() {
    ready = false;
    Future<Void> f = Future.succeededFuture();
    if (gatewayDeployment != null) {
      String id = gatewayDeployment;
      f = f.compose(v -> vertx.undeploy(id));
    }
    if (broker != null) {
      Broker b = broker;
      f = f.compose(v -> b.stop());
    }
    if (store != null) {
      MessageStore s = store;
      f = f.compose(v -> s.close());
    }
    if (nameServerDeployment != null) {
      String id = nameServerDeployment;
      f = f.compose(v -> vertx.undeploy(id));
    }
    return f;
  }
}
