package dev.apogee.config;

/**
 * Settings of the name server, in RocketMQ's key names and with its defaults. Immutable.
 *
 * @param listenPort TCP port for brokers and clients (9876). In a name server's own file this is
 *     the RocketMQ key {@code listenPort}; in a broker's file the same key is the broker's port, so
 *     the standalone default keeps the name server on 9876.
 */
public record NameServerConfig(int listenPort) {

  /** RocketMQ's name server port. */
  public static final int DEFAULT_PORT = 9876;

  public NameServerConfig {
    if (listenPort < 0 || listenPort > 65_535) {
      throw new ConfigException("listenPort must be from 0 to 65535, was " + listenPort);
    }
  }

  /** Reads the name server settings from {@code src}. */
  public static NameServerConfig from(ConfigSource src) {
    return new NameServerConfig(Limits.port(src, "listenPort", DEFAULT_PORT));
  }

  /** The defaults, for processes whose file describes a broker. */
  public static NameServerConfig defaults() {
    return new NameServerConfig(DEFAULT_PORT);
  }
}
