package dev.apogee.config;

/**
 * The node's HTTP side: health, readiness and Prometheus metrics now, the REST and WebSocket
 * gateway on the same port. Apogee's own keys (RocketMQ has no such server). Immutable.
 *
 * @param gatewayEnable serve HTTP on {@code gatewayPort} (true)
 * @param gatewayPort TCP port of the HTTP server (8080; 0 picks a free one)
 * @param metricsMaxTopics distinct topics that get their own per-topic series; traffic of further
 *     topics is counted under {@code topic="_other"}, so the series count stays bounded (1000)
 */
public record GatewayConfig(boolean gatewayEnable, int gatewayPort, int metricsMaxTopics) {

  public static final int DEFAULT_PORT = 8080;

  public GatewayConfig {
    if (gatewayPort < 0 || gatewayPort > 65_535) {
      throw new ConfigException("gatewayPort must be from 0 to 65535, was " + gatewayPort);
    }
    if (metricsMaxTopics < 1) {
      throw new ConfigException("metricsMaxTopics must be at least 1, was " + metricsMaxTopics);
    }
  }

  /** Reads the HTTP settings from {@code src}. */
  public static GatewayConfig from(ConfigSource src) {
    return new GatewayConfig(
        src.bool("gatewayEnable", true),
        Limits.port(src, "gatewayPort", DEFAULT_PORT),
        Limits.atLeast(src, "metricsMaxTopics", 1000, 1));
  }

  /** No HTTP server: for name-server-only processes and embedded nodes that do not ask for one. */
  public static GatewayConfig disabled() {
    return new GatewayConfig(false, DEFAULT_PORT, 1000);
  }
}
