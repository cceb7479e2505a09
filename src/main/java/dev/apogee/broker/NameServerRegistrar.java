package dev.apogee.broker;

import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.RegisterBrokerBody;
import dev.apogee.remoting.RemotingClient;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the broker and its full topic table with every configured name server (REGISTER_BROKER,
 * protocol doc 2.3): every 30 s, and soon after a topic change (changes in a burst make one
 * registration). Failures are logged once per name server until it answers again.
 *
 * <p>Thread-safe; registrations are sent from whichever thread asks.
 */
final class NameServerRegistrar {
  private static final Logger LOG = LoggerFactory.getLogger(NameServerRegistrar.class);
  static final long PERIOD_MS = 30_000;
  // Generous, as RocketMQ's (24 s): a loaded name server answers late, and a retry follows anyway.
  private static final long TIMEOUT_MS = 10_000;

  private final Broker broker;
  private final RemotingClient client;
  private final AtomicBoolean soon = new AtomicBoolean();
  private final Promise<Void> first = Promise.promise();
  private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  NameServerRegistrar(Broker broker) {
    this.broker = broker;
    this.client = new RemotingClient(broker.vertx, RemotingClient.Options.defaults());
  }

  RemotingClient client() {
    return client;
  }

  List<String> addresses() {
    String s = broker.config.namesrvAddr();
    List<String> out = new ArrayList<>();
    if (s != null) {
      for (String a : s.split(";")) {
        if (!a.isBlank()) {
          out.add(a.trim());
        }
      }
    }
    return out;
  }

  boolean registeredOnce() {
    return first.future().succeeded();
  }

  Future<Void> firstRegistration() {
    return first.future();
  }

  /** Registers within a moment, once for a burst of calls. */
  void registerSoon() {
    if (soon.compareAndSet(false, true)) {
      broker.vertx.setTimer(
          20,
          t -> {
            soon.set(false);
            registerAll();
          });
    }
  }

  /** Registers with every name server now. */
  void registerAll() {
    if (addresses().isEmpty()) {
      first.tryComplete();
      return;
    }
    byte[] body = ProtocolJson.write(new RegisterBrokerBody(broker.topics.snapshot(), List.of()));
    for (String addr : addresses()) {
      RemotingCommand req =
          RemotingCommand.request(RequestCode.REGISTER_BROKER)
              .putExt("brokerName", broker.config.brokerName())
              .putExt("brokerAddr", broker.brokerAddr())
              .putExt("clusterName", broker.config.brokerClusterName())
              .putExt("haServerAddr", broker.config.brokerIP1() + ":" + (broker.port() + 1))
              .putExt("brokerId", broker.config.brokerId())
              .putExt("heartbeatTimeoutMillis", Broker.CHANNEL_EXPIRY_MS)
              .putExt("enableActingMaster", false)
              .putExt("compressed", false)
              .setBody(body);
      client
          .invoke(addr, req, TIMEOUT_MS)
          .onComplete(
              ar -> {
                if (ar.succeeded() && ar.result().code() == ResponseCode.SUCCESS) {
                  ar.result().release();
                  if (failing.remove(addr)) {
                    LOG.info("registered with name server {} again", addr);
                  }
                  first.tryComplete();
                } else {
                  String why =
                      ar.succeeded()
                          ? "code " + ar.result().code() + " " + ar.result().remark()
                          : ar.cause().getMessage();
                  if (ar.succeeded()) {
                    ar.result().release();
                  }
                  if (failing.add(addr)) {
                    LOG.warn("cannot register with name server {}: {}", addr, why);
                  }
                }
              });
    }
  }

  /** Unregisters from every name server (at shutdown). */
  Future<Void> unregisterAll() {
    List<Future<RemotingCommand>> all = new ArrayList<>();
    for (String addr : addresses()) {
      RemotingCommand req =
          RemotingCommand.request(RequestCode.UNREGISTER_BROKER)
              .putExt("brokerName", broker.config.brokerName())
              .putExt("brokerAddr", broker.brokerAddr())
              .putExt("clusterName", broker.config.brokerClusterName())
              .putExt("brokerId", broker.config.brokerId());
      all.add(client.invoke(addr, req, TIMEOUT_MS).onSuccess(RemotingCommand::release));
    }
    return Future.join(all).mapEmpty();
  }

  Future<Void> close() {
    return client.close();
  }
}
