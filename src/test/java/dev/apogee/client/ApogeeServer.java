package dev.apogee.client;

import dev.apogee.Node;
import dev.apogee.config.ApogeeConfig;
import dev.apogee.config.BrokerConfig;
import dev.apogee.config.ConfigLoader;
import dev.apogee.config.ConfigSource;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.NameServerConfig;
import dev.apogee.config.StoreConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An Apogee in this JVM on loopback with ephemeral ports and its data in a temp dir: standalone
 * (name server and broker), or a further broker registering with a running name server. It runs on
 * its own Vert.x instance, apart from the clients under test. Close it after the test.
 */
final class ApogeeServer implements AutoCloseable {
  private final Vertx vertx;
  private final Node node;
  private final String namesrvAddr;

  private ApogeeServer(Vertx vertx, Node node, String namesrvAddr) {
    this.vertx = vertx;
    this.node = node;
    this.namesrvAddr = namesrvAddr;
  }

  /** Name server and broker {@code broker-a}. */
  static ApogeeServer standalone(Path dataDir) throws Exception {
    Vertx vertx = Vertx.vertx();
    Node node = start(vertx, ConfigLoader.Role.STANDALONE, dataDir, Map.of());
    return new ApogeeServer(vertx, node, "127.0.0.1:" + node.nameServerPort());
  }

  /** One more broker group, {@code brokerName}, registering with {@code namesrvAddr}. */
  static ApogeeServer broker(Path dataDir, String namesrvAddr, String brokerName) throws Exception {
    Vertx vertx = Vertx.vertx();
    Node node =
        start(
            vertx,
            ConfigLoader.Role.BROKER,
            dataDir,
            Map.of("namesrvAddr", namesrvAddr, "brokerName", brokerName));
    return new ApogeeServer(vertx, node, namesrvAddr);
  }

  private static Node start(
      Vertx vertx, ConfigLoader.Role role, Path dataDir, Map<String, String> settings)
      throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put("storePathRootDir", dataDir.toString());
    m.put("listenPort", "0");
    m.put("brokerIP1", "127.0.0.1");
    m.putAll(settings);
    ConfigSource src = ConfigSource.of(m);
    ApogeeConfig config =
        new ApogeeConfig(
            StoreConfig.from(src),
            FlushConfig.from(src),
            BrokerConfig.from(src),
            new NameServerConfig(0));
    return Node.start(vertx, role, config)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** {@code 127.0.0.1:port} of the name server. */
  String namesrvAddr() {
    return namesrvAddr;
  }

  @Override
  public void close() throws Exception {
    node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
