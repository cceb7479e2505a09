package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.apogee.Node;
import dev.apogee.config.ApogeeConfig;
import dev.apogee.config.BrokerConfig;
import dev.apogee.config.ConfigLoader;
import dev.apogee.config.ConfigSource;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.NameServerConfig;
import dev.apogee.config.StoreConfig;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose name servers do not answer still starts and serves (as RocketMQ's does), reports
 * itself not registered and not ready, and keeps retrying.
 */
class BrokerWithoutNameServerTest {
  @TempDir Path dir;

  @Test
  void startsWithoutANameServerButIsNotReady() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    ConfigSource src =
        ConfigSource.of(
            Map.of(
                "storePathRootDir",
                dir.toString(),
                "listenPort",
                "0",
                "brokerIP1",
                "127.0.0.1",
                "namesrvAddr",
                "127.0.0.1:" + deadPort));
    ApogeeConfig config =
        new ApogeeConfig(
            StoreConfig.from(src),
            FlushConfig.from(src),
            BrokerConfig.from(src),
            NameServerConfig.defaults());
    Vertx vertx = Vertx.vertx();
    try {
      Node node =
          Node.start(vertx, ConfigLoader.Role.BROKER, config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      try {
        assertNotNull(node.broker(), "the broker serves");
        assertFalse(node.registered(), "no name server answered");
        assertFalse(node.isReady(), "not ready while unregistered");
        String addr = node.broker().brokerAddr();
        int port = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
        try (RawBrokerSocket raw = new RawBrokerSocket(port)) {
          // GET_ALL_TOPIC_CONFIG: answered, so the broker serves requests.
          RawBrokerSocket.Frame f = raw.call(21, Map.of(), new byte[0]);
          assertEquals(0, f.code(), f.remark());
        }
      } finally {
        node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
