package dev.apogee.namesrv;

import dev.apogee.config.ConfigLoader;
import dev.apogee.config.RuntimeSettings;
import dev.apogee.protocol.BodyFormatException;
import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.KvTable;
import dev.apogee.protocol.PropertiesText;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.RegisterBrokerBody;
import dev.apogee.protocol.TopicConfigSerializeWrapper;
import dev.apogee.protocol.TopicList;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RemotingServer;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The name server: RocketMQ's route registry on TCP. Brokers register every 30 s; a broker whose
 * last registration is older than its heartbeat timeout (120 s) is dropped by a scan every 5 s, and
 * a closed broker connection drops it at once. Clients ask for topic routes, cluster info and topic
 * lists. The thinking is in {@link RouteTable}; this verticle only adapts requests to it. The admin
 * tool reads the name server's settings and changes its live ones ({@link #settings}).
 *
 * <p>Runs on one event loop; {@link RouteTable} is synchronized, so lookups are cheap and safe.
 */
public final class NameServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NameServerVerticle.class);

  /** Connection attribute: the broker address that registered over this connection. */
  private static final String BROKER_ADDR = "apogee.namesrv.brokerAddr";

  private static final long SCAN_INTERVAL_MS = 5_000;

  /** Live setting: whether GET_ALL_TOPIC_LIST_FROM_NAMESERVER is answered. */
  static final String ENABLE_ALL_TOPIC_LIST = "enableAllTopicList";

  /** Live setting: whether GET_TOPICS_BY_CLUSTER is answered. */
  static final String ENABLE_TOPIC_LIST = "enableTopicList";

  /** RocketMQ's remark when a topic list is switched off. */
  private static final String DISABLED = "disable";

  /**
   * What a REGISTER_BROKER without a body registers: no topics at version 0, as RocketMQ's name
   * server reads such a request.
   */
  private static final RegisterBrokerBody NO_BODY =
      new RegisterBrokerBody(
          new TopicConfigSerializeWrapper(Map.of(), new DataVersion(0, 0, 0)), List.of());

  private final String host;
  private final int port;
  private final LongSupplier clock;
  private final RouteTable routes = new RouteTable();
  private final KvConfigStore kv = new KvConfigStore();
  private final RuntimeSettings settings;
  private RemotingServer server;

  public NameServerVerticle(String host, int port, LongSupplier clock) {
    this.host = host;
    this.port = port;
    this.clock = clock;
    this.settings = settings(host, clock);
  }

  /**
   * What GET_NAMESRV_CONFIG shows and UPDATE_NAMESRV_CONFIG changes, under RocketMQ's names:
   * whether the whole topic list (GET_ALL_TOPIC_LIST_FROM_NAMESERVER) and the topic lists of a
   * cluster (GET_TOPICS_BY_CLUSTER) are served change at once; the address and port are read at
   * start; RocketMQ's paths of its own files are refused with its own remark.
   */
  private static RuntimeSettings settings(String host, LongSupplier clock) {
    return RuntimeSettings.builder(
            "name server", ManagementFactory.getRuntimeMXBean().getStartTime(), clock)
        .fixed("bindAddress", host)
        .readAtStart(RuntimeSettings.keysReadAtStart(ConfigLoader.Role.NAMESRV))
        .blackList(List.of("configBlackList", "configStorePath", "kvConfigPath"))
        .live(ENABLE_ALL_TOPIC_LIST, "true", RuntimeSettings.BOOLEAN)
        .live(ENABLE_TOPIC_LIST, "true", RuntimeSettings.BOOLEAN)
        .build();
  }

  /** The port actually bound (after start). */
  public int actualPort() {
    return server.actualPort();
  }

  public RouteTable routes() {
    return routes;
  }

  @Override
  public Future<?> start() {
    server = new RemotingServer(vertx, RemotingServer.Options.of(host, port));
    server
        .registerProcessor(RequestCode.REGISTER_BROKER, this::register)
        .registerProcessor(RequestCode.UNREGISTER_BROKER, this::unregister)
        .registerProcessor(RequestCode.GET_ROUTEINFO_BY_TOPIC, this::route)
        .registerProcessor(RequestCode.GET_BROKER_CLUSTER_INFO, this::clusterInfo)
        .registerProcessor(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, this::topicList)
        .registerProcessor(RequestCode.GET_TOPICS_BY_CLUSTER, this::topicsOfCluster)
        .registerProcessor(RequestCode.DELETE_TOPIC_IN_NAMESRV, this::deleteTopic)
        .registerProcessor(RequestCode.PUT_KV_CONFIG, this::putKv)
        .registerProcessor(RequestCode.GET_KV_CONFIG, this::getKv)
        .registerProcessor(RequestCode.DELETE_KV_CONFIG, this::deleteKv)
        .registerProcessor(RequestCode.GET_KVLIST_BY_NAMESPACE, this::kvList)
        .registerProcessor(RequestCode.BROKER_HEARTBEAT, this::brokerHeartbeat)
        .registerProcessor(RequestCode.GET_NAMESRV_CONFIG, this::getConfig)
        .registerProcessor(RequestCode.UPDATE_NAMESRV_CONFIG, this::updateConfig)
        .connectionHandler(c -> c.onClose(this::connectionClosed));
    vertx.setPeriodic(SCAN_INTERVAL_MS, t -> scan());
    return server
        .start()
        .onSuccess(v -> LOG.info("name server listening on {}:{}", host, server.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.stop();
  }

  private void scan() {
    for (RemovedBroker b : routes.expire(clock.getAsLong())) {
      LOG.warn(
          "broker {} ({} of {}) sent no registration in time: removed",
          b.brokerAddr(),
          b.brokerName(),
          b.clusterName());
    }
  }

  private void connectionClosed(Connection c) {
    Object addr = c.attributes().get(BROKER_ADDR);
    if (addr != null) {
      for (RemovedBroker b : routes.brokerChannelClosed((String) addr)) {
        LOG.info("broker {} ({}) disconnected: removed", b.brokerAddr(), b.brokerName());
      }
    }
  }

  private static Future<RemotingCommand> ok(RemotingCommand req) {
    return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
  }

  private Future<RemotingCommand> register(Connection c, RemotingCommand req) {
    byte[] body = req.bodyBytes();
    RegisterBrokerBody parsed;
    try {
      parsed =
          body == null || body.length == 0
              ? NO_BODY
              : ProtocolJson.readTolerant(body, RegisterBrokerBody::readJson);
    } catch (BodyFormatException e) {
      // One line, no stack trace: a peer's malformed body is its problem, not this server's.
      LOG.warn("refusing a registration from {}: {}", c.remoteAddress(), e.getMessage());
      return Future.succeededFuture(
          RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, e.getMessage()));
    }
    RegisterBrokerRequest r =
        RegisterBrokerRequest.of(
            req.requireExt("clusterName"),
            req.requireExt("brokerName"),
            req.requireExt("brokerAddr"),
            req.ext("haServerAddr"),
            req.extLong("brokerId"),
            parsed);
    long timeout =
        req.extLong(
            "heartbeatTimeoutMillis", RegisterBrokerRequest.DEFAULT_HEARTBEAT_TIMEOUT_MILLIS);
    if (timeout != r.heartbeatTimeoutMillis()) {
      r =
          new RegisterBrokerRequest(
              r.clusterName(),
              r.brokerName(),
              r.brokerAddr(),
              r.haServerAddr(),
              r.brokerId(),
              timeout,
              req.extBoolean("enableActingMaster", false),
              req.ext("zoneName"),
              r.topicConfigTable(),
              r.dataVersion());
    }
    boolean first = c.attributes().putIfAbsent(BROKER_ADDR, r.brokerAddr()) == null;
    RegisterBrokerResult result = routes.register(r, clock.getAsLong());
    if (first) {
      LOG.info(
          "broker {} registered: {} of cluster {}, id {}, {} topics ({})",
          r.brokerAddr(),
          r.brokerName(),
          r.clusterName(),
          r.brokerId(),
          r.topicConfigTable().size(),
          result.status());
    }
    RemotingCommand resp = RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null);
    if (result.masterAddr() != null) {
      resp.putExt("masterAddr", result.masterAddr());
    }
    if (result.haServerAddr() != null) {
      resp.putExt("haServerAddr", result.haServerAddr());
    }
    return Future.succeededFuture(resp);
  }

  private Future<RemotingCommand> unregister(Connection c, RemotingCommand req) {
    routes.unregister(
        req.requireExt("clusterName"),
        req.requireExt("brokerAddr"),
        req.requireExt("brokerName"),
        req.extLong("brokerId"));
    c.attributes().remove(BROKER_ADDR);
    LOG.info("broker {} unregistered", req.ext("brokerAddr"));
    return ok(req);
  }

  private Future<RemotingCommand> brokerHeartbeat(Connection c, RemotingCommand req) {
    routes.heartbeat(
        req.requireExt("clusterName"), req.requireExt("brokerAddr"), clock.getAsLong());
    return ok(req);
  }

  private Future<RemotingCommand> route(Connection c, RemotingCommand req) {
    String topic = req.requireExt("topic");
    return Future.succeededFuture(
        routes
            .route(topic)
            .map(
                r ->
                    RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
                        .setBody(ProtocolJson.write(r)))
            .orElseGet(
                () ->
                    RemotingCommand.responseTo(
                        req,
                        ResponseCode.TOPIC_NOT_EXIST,
                        "No topic route info in name server for the topic: " + topic)));
  }

  private Future<RemotingCommand> clusterInfo(Connection c, RemotingCommand req) {
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .setBody(ProtocolJson.write(routes.clusterInfo())));
  }

  private Future<RemotingCommand> topicList(Connection c, RemotingCommand req) {
    if (!settings.on(ENABLE_ALL_TOPIC_LIST)) {
      return disabled(req);
    }
    TopicList list = routes.topics();
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .setBody(ProtocolJson.write(list)));
  }

  private Future<RemotingCommand> topicsOfCluster(Connection c, RemotingCommand req) {
    if (!settings.on(ENABLE_TOPIC_LIST)) {
      return disabled(req);
    }
    TopicList list = routes.topicsOfCluster(req.requireExt("cluster"));
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .setBody(ProtocolJson.write(list)));
  }

  private Future<RemotingCommand> deleteTopic(Connection c, RemotingCommand req) {
    String topic = req.requireExt("topic");
    String cluster = req.ext("clusterName");
    if (cluster == null) {
      routes.deleteTopic(topic);
    } else {
      routes.deleteTopic(topic, cluster);
    }
    return ok(req);
  }

  private Future<RemotingCommand> putKv(Connection c, RemotingCommand req) {
    kv.put(req.requireExt("namespace"), req.requireExt("key"), req.requireExt("value"));
    return ok(req);
  }

  private Future<RemotingCommand> getKv(Connection c, RemotingCommand req) {
    String ns = req.requireExt("namespace");
    String key = req.requireExt("key");
    Optional<String> v = kv.get(ns, key);
    if (v.isEmpty()) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req,
              ResponseCode.QUERY_NOT_FOUND,
              "No config item, Namespace: " + ns + " Key: " + key));
    }
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).putExt("value", v.get()));
  }

  private Future<RemotingCommand> deleteKv(Connection c, RemotingCommand req) {
    kv.delete(req.requireExt("namespace"), req.requireExt("key"));
    return ok(req);
  }

  private Future<RemotingCommand> kvList(Connection c, RemotingCommand req) {
    String ns = req.requireExt("namespace");
    Optional<KvTable> t = kv.list(ns);
    if (t.isEmpty()) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req, ResponseCode.QUERY_NOT_FOUND, "No config item, Namespace: " + ns));
    }
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .setBody(ProtocolJson.write(t.get())));
  }

  private static Future<RemotingCommand> disabled(RemotingCommand req) {
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, DISABLED));
  }

  /** The settings as properties text, the port as actually bound. */
  private Future<RemotingCommand> getConfig(Connection c, RemotingCommand req) {
    Map<String, String> all = settings.all();
    all.put("listenPort", Integer.toString(server.actualPort()));
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .setBody(PropertiesText.format(all).getBytes(StandardCharsets.UTF_8)));
  }

  private Future<RemotingCommand> updateConfig(Connection c, RemotingCommand req) {
    byte[] body = req.bodyBytes();
    if (body == null || body.length == 0) {
      return ok(req);
    }
    Map<String, String> changes;
    try {
      changes = PropertiesText.parse(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      LOG.warn("refusing a settings update from {}: {}", c.remoteAddress(), e.getMessage());
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req, ResponseCode.SYSTEM_ERROR, "cannot read the settings: " + e.getMessage()));
    }
    Optional<RuntimeSettings.Rejection> refused = settings.update(changes);
    if (refused.isPresent()) {
      RuntimeSettings.Rejection r = refused.get();
      LOG.warn(
          "refusing a settings update from {} ({}): {}", c.remoteAddress(), r.key(), r.message());
      int code =
          r.reason() == RuntimeSettings.Refusal.BAD_VALUE
              ? ResponseCode.INVALID_PARAMETER
              : ResponseCode.NO_PERMISSION;
      return Future.succeededFuture(RemotingCommand.responseTo(req, code, r.message()));
    }
    LOG.info("name server settings changed by {}: {}", c.remoteAddress(), changes);
    return ok(req);
  }
}
