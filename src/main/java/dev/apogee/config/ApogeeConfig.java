package dev.apogee.config;

import java.util.Objects;

/**
 * Everything a node reads at start, one record per area. Immutable; built by {@link ConfigLoader}.
 *
 * @param store message store files and retention
 * @param flush fsync schedule
 * @param broker broker identity and behaviour
 * @param nameServer name server settings
 * @param gateway the HTTP server (health, readiness, metrics, gateway)
 */
public record ApogeeConfig(
    StoreConfig store,
    FlushConfig flush,
    BrokerConfig broker,
    NameServerConfig nameServer,
    GatewayConfig gateway) {

  public ApogeeConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(flush, "flush");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(nameServer, "nameServer");
    Objects.requireNonNull(gateway, "gateway");
  }

  /** A node without an HTTP server, as embedded nodes and tests usually want. */
  public ApogeeConfig(
      StoreConfig store, FlushConfig flush, BrokerConfig broker, NameServerConfig nameServer) {
    this(store, flush, broker, nameServer, GatewayConfig.disabled());
  }
}
