package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.Node;
import dev.apogee.config.ConfigException;
import dev.apogee.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway role ({@code apogee gateway -c FILE}) beside a cluster it reaches only through the
 * name server: it serves the REST resources against that cluster, and refuses a file without name
 * servers.
 */
class GatewayAloneTest {
  @TempDir static Path dir;
  private static ApogeeFixture cluster;
  private static Vertx vertx;
  private static Node gateway;
  private static HttpCalls http;

  @BeforeAll
  static void start() throws Exception {
    cluster = ApogeeFixture.start(dir.resolve("cluster"), Map.of());
    Path file = dir.resolve("gateway.conf");
    Files.writeString(
        file, "namesrvAddr=" + cluster.namesrvAddr() + "\ngatewayPort=0\nmaxMessageSize=1024\n");
    ConfigLoader.Loaded loaded = ConfigLoader.load(ConfigLoader.Role.GATEWAY, file, Map.of());
    assertEquals(java.util.List.of(), loaded.warnings());
    vertx = Vertx.vertx();
    gateway =
        Node.start(vertx, ConfigLoader.Role.GATEWAY, loaded.config())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    http = new HttpCalls(gateway.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void servesTheClusterOfItsNameServers() throws Exception {
    assertEquals(-1, gateway.nameServerPort(), "no name server of its own");
    assertEquals(200, send("GET", "/ready", null, null).statusCode());
    HttpResponse<String> created =
        send("POST", "/v1/topics", "application/json", "{\"name\":\"Alone\",\"queues\":2}");
    assertEquals(201, created.statusCode(), created.body());
    HttpResponse<String> sent =
        send("POST", "/v1/topics/Alone/messages?keys=alone-1", "text/plain", "via the gateway");
    assertEquals(200, sent.statusCode(), sent.body());
    String msgId = new JsonObject(sent.body()).getString("msgId");

    // The message is in the cluster's broker: its store holds it under the answered id.
    JsonObject[] found = {null};
    Clients.awaitTrue(
        () -> {
          try {
            HttpResponse<String> r = send("GET", "/v1/topics/Alone/messages/" + msgId, null, null);
            found[0] = r.statusCode() == 200 ? new JsonObject(r.body()) : null;
            return found[0] != null;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        Duration.ofSeconds(20),
        () -> "message " + msgId + " found through the gateway");
    assertEquals("via the gateway", found[0].getString("body"));
    assertTrue(
        found[0].getString("storeHost").startsWith("127.0.0.1:"), found[0].getString("storeHost"));

    // The gateway's own size limit (maxMessageSize=1024 in its file).
    HttpResponse<String> big =
        send("POST", "/v1/topics/Alone/messages", "text/plain", "x".repeat(1025));
    assertEquals(413, big.statusCode(), big.body());
  }

  @Test
  void aFileWithoutNameServersIsRefused() throws Exception {
    Path file = dir.resolve("bad-gateway.conf");
    Files.writeString(file, "gatewayPort=0\n");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(ConfigLoader.Role.GATEWAY, file, Map.of()));
    assertTrue(e.getMessage().contains("namesrvAddr"), e.getMessage());
  }

  private static HttpResponse<String> send(String method, String path, String type, String body)
      throws Exception {
    return http.send(
        method, path, type, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }
}
