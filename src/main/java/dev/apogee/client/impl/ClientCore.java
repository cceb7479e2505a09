package dev.apogee.client.impl;

import dev.apogee.client.BrokerException;
import dev.apogee.client.ClientException;
import dev.apogee.client.ClientOptions;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.TopicRouteData;
import dev.apogee.remoting.RemotingClient;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RemotingException;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every client role shares: its context, its connections, its identity, the name servers and
 * the cached routes, and its timers.
 *
 * <p><b>Threading:</b> the state here is confined to the context the client was created on. Public
 * methods of the clients enter it through {@link #call}, which runs a step there and completes the
 * caller's future on the caller's context; everything else is called on that context only.
 */
final class ClientCore {
  private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);

  /** The client's own producer group, which official clients always put in their heartbeats. */
  static final String CLIENT_INNER_PRODUCER = "CLIENT_INNER_PRODUCER";

  private static final Object DETECT_LOCK = new Object();
  private static InetAddress detected;

  final Vertx vertx;
  final ContextInternal context;
  final RemotingClient remoting;
  private final ClientOptions<?> options;
  private final String instanceName;
  private final Future<InetAddress> address;
  private final List<String> nameServers;
  private final Map<String, TopicRoute> routes = new HashMap<>();

  /** Broker name to its members' addresses, from every route seen (the latest wins). */
  private final Map<String, Map<Long, String>> brokers = new HashMap<>();

  private final List<Long> timers = new ArrayList<>();
  private String clientId;
  private UniqueIds ids;
  private int nameServerIndex;
  private boolean closed;

  ClientCore(Vertx vertx, ClientOptions<?> options) {
    if (options.nameServers().isEmpty()) {
      throw new IllegalArgumentException("no name server set in the options");
    }
    this.vertx = vertx;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.options = options;
    this.nameServers = options.nameServers();
    this.instanceName =
        options.instanceName() != null
            ? options.instanceName()
            : ProcessHandle.current().pid() + "#" + System.nanoTime();
    this.remoting = new RemotingClient(vertx, RemotingClient.Options.defaults());
    String configuredIp = options.clientIp();
    this.address = vertx.executeBlocking(() -> resolveAddress(configuredIp), false);
    address.onFailure(e -> LOG.error("the client cannot determine its own address", e));
  }

  /** The configured address, else the detected one; also loads the route JSON binding. Blocking. */
  private static InetAddress resolveAddress(String configured) throws Exception {
    ProtocolJson.readTolerant("{\"queueDatas\":[],\"brokerDatas\":[]}", TopicRouteData::readJson);
    if (configured != null) {
      return InetAddress.getByName(configured);
    }
    synchronized (DETECT_LOCK) {
      if (detected == null) {
        detected = LocalAddress.detect();
      }
      return detected;
    }
  }

  // ------------------------------------------------------------------ entering the context

  /**
   * Runs {@code step} on the client's context once the client knows its address; the returned
   * future completes on the caller's context. An exception thrown by the step fails the future.
   */
  <T> Future<T> call(Supplier<Future<T>> step) {
    Promise<T> result = ((ContextInternal) vertx.getOrCreateContext()).promise();
    Runnable run =
        () -> {
          if (address.failed()) {
            result.fail(
                new ClientException(
                    "cannot determine the client's address: " + address.cause().getMessage(),
                    address.cause()));
            return;
          }
          if (clientId == null) {
            InetAddress ip = address.result();
            clientId = ip.getHostAddress() + "@" + instanceName;
            ids = UniqueIds.forProcess(ip.getAddress());
          }
          Future<T> f;
          try {
            f = step.get();
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          f.onComplete(result);
        };
    if (address.isComplete() && context.isRunningOnContext()) {
      run.run();
    } else {
      address.onComplete(ar -> context.runOnContext(v -> run.run()));
    }
    return result.future();
  }

  /** Fails with "closed" when the client is closed, else runs {@code step} as {@link #call}. */
  <T> Future<T> callOpen(Supplier<Future<T>> step) {
    return call(
        () -> closed ? Future.failedFuture(new ClientException("client is closed")) : step.get());
  }

  boolean isClosed() {
    return closed;
  }

  /** {@code ip@instanceName}; known inside {@link #call} steps. */
  String clientId() {
    return clientId;
  }

  /** A new unique message id; inside {@link #call} steps. */
  String nextUniqueId() {
    return ids.next();
  }

  long requestTimeoutMillis() {
    return options.requestTimeout().toMillis();
  }

  // ------------------------------------------------------------------ routes

  /** The cached route of {@code topic}, or null. */
  TopicRoute cachedRoute(String topic) {
    return routes.get(topic);
  }

  /** The topics with a cached route. */
  Set<String> routedTopics() {
    return new LinkedHashSet<>(routes.keySet());
  }

  void putRoute(TopicRoute route) {
    routes.put(route.topic(), route);
    brokers.putAll(route.brokers());
  }

  /**
   * The address of {@code brokerName} for reading: its master, else another member; from the route
   * of {@code topic} when cached, else from any route seen; null when unknown.
   */
  String readAddress(String topic, String brokerName) {
    TopicRoute route = routes.get(topic);
    String addr = route == null ? null : route.readAddress(brokerName);
    if (addr != null) {
      return addr;
    }
    Map<Long, String> members = brokers.get(brokerName);
    if (members == null || members.isEmpty()) {
      return null;
    }
    return members.getOrDefault(0L, members.values().iterator().next());
  }

  /** The cached route of {@code topic}, or the name server's (then cached). */
  Future<TopicRoute> route(String topic) {
    TopicRoute cached = routes.get(topic);
    return cached != null ? Future.succeededFuture(cached) : fetchRoute(topic);
  }

  /** The name server's route of {@code topic}, cached on success. */
  Future<TopicRoute> fetchRoute(String topic) {
    return queryRoute(topic)
        .map(
            data -> {
              TopicRoute route = TopicRoute.of(topic, data);
              putRoute(route);
              return route;
            });
  }

  /**
   * GET_ROUTEINFO_BY_TOPIC, trying the name servers in turn while they cannot be reached; an answer
   * other than SUCCESS fails with a {@link BrokerException} (17 for an unknown topic).
   */
  Future<TopicRouteData> queryRoute(String topic) {
    return queryRoute(topic, 0);
  }

  private Future<TopicRouteData> queryRoute(String topic, int tried) {
    String ns = nameServers.get(nameServerIndex % nameServers.size());
    RemotingCommand req =
        RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", topic));
    return remoting
        .invoke(ns, req, requestTimeoutMillis())
        .map(resp -> decodeRoute(ns, resp))
        .recover(
            e -> {
              if (e instanceof RemotingException && tried + 1 < nameServers.size() && !closed) {
                nameServerIndex++;
                LOG.warn("name server {} failed ({}), trying the next", ns, e.getMessage());
                return queryRoute(topic, tried + 1);
              }
              return Future.failedFuture(e);
            });
  }

  private static TopicRouteData decodeRoute(String ns, RemotingCommand resp) {
    try {
      if (resp.code() != ResponseCode.SUCCESS) {
        throw new BrokerException(resp.code(), resp.remark(), ns);
      }
      return ProtocolJson.readTolerant(resp.bodyBytes(), TopicRouteData::readJson);
    } finally {
      resp.release();
    }
  }

  // ------------------------------------------------------------------ brokers

  /** Every broker address in the cached routes: masters only, or every member. */
  Set<String> brokerAddresses(boolean mastersOnly) {
    Set<String> out = new LinkedHashSet<>();
    for (TopicRoute r : routes.values()) {
      for (Map<Long, String> addrs : r.brokers().values()) {
        if (mastersOnly) {
          String master = addrs.get(0L);
          if (master != null) {
            out.add(master);
          }
        } else {
          out.addAll(addrs.values());
        }
      }
    }
    return out;
  }

  /**
   * Sends {@code request} to {@code address} and applies {@code read} to the response, which is
   * released afterwards. An exception from {@code read} fails the future.
   */
  <T> Future<T> invoke(
      String address,
      RemotingCommand request,
      long timeoutMillis,
      Function<RemotingCommand, T> read) {
    return remoting
        .invoke(address, request, timeoutMillis)
        .map(
            resp -> {
              try {
                return read.apply(resp);
              } finally {
                resp.release();
              }
            });
  }

  /** As {@link #invoke} with the request timeout; only SUCCESS is accepted. */
  Future<RemotingCommand> invokeOk(String address, RemotingCommand request) {
    return remoting
        .invoke(address, request, requestTimeoutMillis())
        .map(
            resp -> {
              if (resp.code() != ResponseCode.SUCCESS) {
                resp.release();
                throw new BrokerException(resp.code(), resp.remark(), address);
              }
              return resp;
            });
  }

  /** Sends {@code request} to {@code address}; the answer must be SUCCESS. */
  Future<Void> invokeExpectingSuccess(String address, RemotingCommand request) {
    return invokeOk(address, request)
        .map(
            resp -> {
              resp.release();
              return null;
            });
  }

  /**
   * Sends the HEART_BEAT {@code body} to each of {@code addresses}; completes when all answered,
   * failing if any failed (each failure is logged).
   */
  Future<Void> heartbeat(Collection<String> addresses, JsonObject body) {
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    List<Future<Void>> sent = new ArrayList<>();
    for (String addr : addresses) {
      RemotingCommand req = RemotingCommand.request(RequestCode.HEART_BEAT).setBody(bytes);
      sent.add(
          invokeExpectingSuccess(addr, req)
              .onFailure(
                  e -> {
                    if (!closed) {
                      LOG.warn("heartbeat of {} to {} failed: {}", clientId, addr, e.getMessage());
                    }
                  }));
    }
    return Future.all(sent).mapEmpty();
  }

  /** UNREGISTER_CLIENT to each of {@code addresses}; failures are logged, never fail the future. */
  Future<Void> unregister(
      Collection<String> addresses, String producerGroup, String consumerGroup) {
    List<Future<Void>> sent = new ArrayList<>();
    for (String addr : addresses) {
      Map<String, String> ext = new HashMap<>();
      ext.put("clientID", clientId);
      ext.put("producerGroup", producerGroup);
      ext.put("consumerGroup", consumerGroup);
      RemotingCommand req = RemotingCommand.request(RequestCode.UNREGISTER_CLIENT, ext);
      sent.add(
          invokeExpectingSuccess(addr, req)
              .recover(
                  e -> {
                    LOG.warn("unregistering {} from {} failed: {}", clientId, addr, e.getMessage());
                    return Future.succeededFuture();
                  }));
    }
    return Future.join(sent).mapEmpty();
  }

  // ------------------------------------------------------------------ timers and closing

  /**
   * Runs {@code task} on the context every {@code period}, first after {@code first}; until {@link
   * #close}. A task that throws is logged and keeps its schedule.
   */
  void every(Duration first, Duration period, String what, Runnable task) {
    long id =
        vertx.setPeriodic(
            Math.max(1, first.toMillis()),
            Math.max(1, period.toMillis()),
            t -> {
              if (closed) {
                return;
              }
              try {
                task.run();
              } catch (RuntimeException e) {
                LOG.error("{} of client {} failed", what, clientId, e);
              }
            });
    timers.add(id);
  }

  /** Fetches every cached route again, keeping the old one when the name server fails. */
  Future<Void> refreshRoutes() {
    List<Future<Void>> all = new ArrayList<>();
    for (String topic : routedTopics()) {
      all.add(
          fetchRoute(topic)
              .<Void>mapEmpty()
              .recover(
                  e -> {
                    LOG.debug("route of {} not refreshed: {}", topic, e.getMessage());
                    return Future.succeededFuture();
                  }));
    }
    return Future.join(all).mapEmpty();
  }

  /** Stops the timers; later {@link #callOpen} steps fail. Connections stay for the last words. */
  void markClosed() {
    closed = true;
    for (long id : timers) {
      vertx.cancelTimer(id);
    }
    timers.clear();
  }

  /** Closes the connections. */
  Future<Void> closeConnections() {
    return remoting.close();
  }
}
