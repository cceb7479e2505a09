package dev.apogee.it;

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
 * A standalone Apogee (name server, broker, store) in this JVM on loopback with ephemeral ports and
 * its data in a temp dir, for the official client to talk to. Close it after the test.
 */
final class ApogeeFixture implements AutoCloseable {
  final Vertx vertx;
  final Node node;
  final Path dataDir;

  private ApogeeFixture(Vertx vertx, Node node, Path dataDir) {
    this.vertx = vertx;
    this.node = node;
    this.dataDir = dataDir;
  }

  static ApogeeFixture start(Path dataDir, Map<String, String> settings) throws Exception {
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
    Vertx vertx = Vertx.vertx();
    Node node =
        Node.start(vertx, ConfigLoader.Role.STANDALONE, config)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new ApogeeFixture(vertx, node, dataDir);
  }

  /** {@code 127.0.0.1:port} of the name server, for {@code setNamesrvAddr}. */
  String namesrvAddr() {
    return "127.0.0.1:" + node.nameServerPort();
  }

  @Override
  public void close() throws Exception {
    node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
