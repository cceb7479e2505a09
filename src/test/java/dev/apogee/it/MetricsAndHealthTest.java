package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.Node;
import dev.apogee.config.ApogeeConfig;
import dev.apogee.config.BrokerConfig;
import dev.apogee.config.ConfigLoader;
import dev.apogee.config.ConfigSource;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.GatewayConfig;
import dev.apogee.config.NameServerConfig;
import dev.apogee.config.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /health, /ready and /metrics on a node started as the launcher starts one (Vert.x with its
 * Micrometer metrics on), driven by the official client: the documented broker series follow the
 * traffic, per-topic series are bounded and leave with their topic, and bad paths get JSON errors.
 */
class MetricsAndHealthTest {
  private static final int MAX_TOPICS = 2;
  private static final Duration EVENTUAL = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static Vertx vertx;
  private static Node node;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    ConfigSource src =
        ConfigSource.of(
            Map.of(
                "storePathRootDir",
                dir.toString(),
                "listenPort",
                "0",
                "brokerIP1",
                "127.0.0.1",
                "flushIntervalCommitLog",
                "50"));
    ApogeeConfig config =
        new ApogeeConfig(
            StoreConfig.from(src),
            FlushConfig.from(src),
            BrokerConfig.from(src),
            new NameServerConfig(0),
            new GatewayConfig(true, 0, MAX_TOPICS));
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setMetricsOptions(
                    new MicrometerMetricsOptions()
                        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                        .setJvmMetricsEnabled(true)
                        .setEnabled(true)));
    node =
        Node.start(vertx, ConfigLoader.Role.STANDALONE, config)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    http = HttpClient.newHttpClient();
    base = "http://127.0.0.1:" + node.httpPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String namesrv() {
    return "127.0.0.1:" + node.nameServerPort();
  }

  /** The value of the first sample of {@code series} (name and labels as exposed), or NaN. */
  private static double sample(String text, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([-+0-9.eE]+|NaN)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static String awaitMetrics(String what, Predicate<String> done) throws Exception {
    String[] last = {""};
    Clients.awaitTrue(
        () -> {
          try {
            last[0] = get("/metrics").body();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return done.test(last[0]);
        },
        EVENTUAL,
        () -> what + "; last scrape:\n" + last[0]);
    return last[0];
  }

  @Test
  void healthAndReadiness() throws Exception {
    HttpResponse<String> h = get("/health");
    assertEquals(200, h.statusCode());
    assertEquals("{\"status\":\"UP\"}", h.body());
    HttpResponse<String> r = get("/ready");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("READY"), r.body());
  }

  @Test
  void badPathsAndMethodsGetJsonErrors() throws Exception {
    HttpResponse<String> missing = get("/no/such/thing");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("\"code\":404"), missing.body());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertTrue(post.body().contains("\"code\":405"), post.body());
  }

  @Test
  void brokerSeriesFollowTrafficAndStayBounded() throws Exception {
    DefaultMQProducer producer = new DefaultMQProducer("metrics-producer");
    producer.setNamesrvAddr(namesrv());
    producer.setInstanceName(Clients.instanceName("metrics-p"));
    producer.start();
    int perTopic = 10;
    byte[] body = "0123456789".getBytes(StandardCharsets.UTF_8);
    try {
      for (String topic : new String[] {"MetricsA", "MetricsB", "MetricsC", "MetricsD"}) {
        for (int i = 0; i < perTopic; i++) {
          assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, body)).getSendStatus());
        }
      }
    } finally {
      producer.shutdown();
    }

    String text = get("/metrics").body();
    assertEquals(perTopic, sample(text, "apogee_messages_in_total{topic=\"MetricsA\"}"), text);
    assertEquals(perTopic, sample(text, "apogee_messages_in_total{topic=\"MetricsB\"}"), text);
    // Beyond the per-topic limit, topics share one series.
    assertEquals(2.0 * perTopic, sample(text, "apogee_messages_in_total{topic=\"_other\"}"), text);
    assertFalse(text.contains("topic=\"MetricsC\""), "no own series past the limit");
    assertTrue(sample(text, "apogee_bytes_in_total{topic=\"MetricsA\"}") > perTopic * body.length);
    assertEquals(4.0 * perTopic, sample(text, "apogee_send_latency_seconds_count"), text);
    assertTrue(sample(text, "apogee_commitlog_bytes") > 0, text);
    assertTrue(sample(text, "apogee_disk_used_ratio") > 0, text);
    assertTrue(sample(text, "apogee_dispatch_backlog_bytes") >= 0, text);
    // Vert.x's own series share the registry.
    assertTrue(text.contains("vertx_"), "Vert.x series missing");

    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("metrics-group");
    consumer.setNamesrvAddr(namesrv());
    consumer.setInstanceName(Clients.instanceName("metrics-c"));
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.setPersistConsumerOffsetInterval(500);
    consumer.setHeartbeatBrokerInterval(1000);
    consumer.subscribe("MetricsA", "*");
    consumer.registerMessageListener(
        (MessageListenerConcurrently) (msgs, ctx) -> ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
    consumer.start();
    try {
      text =
          awaitMetrics(
              "all of MetricsA consumed and committed",
              t ->
                  sample(t, "apogee_messages_out_total{topic=\"MetricsA\"}") >= perTopic
                      && sample(
                              t,
                              "apogee_consumer_lag_messages{group=\"metrics-group\",topic=\"MetricsA\"}")
                          == 0);
      assertEquals(1.0, sample(text, "apogee_clients{kind=\"consumer\"}"), text);
      assertTrue(sample(text, "apogee_pull_latency_seconds_count") > 0, text);
      assertTrue(sample(text, "apogee_flush_latency_seconds_count") > 0, text);
    } finally {
      consumer.shutdown();
    }

    // A deleted topic leaves no series behind.
    DefaultMQAdminExt admin = new DefaultMQAdminExt();
    admin.setNamesrvAddr(namesrv());
    admin.setInstanceName(Clients.instanceName("metrics-admin"));
    admin.start();
    try {
      admin.deleteTopicInBroker(Set.of(node.broker().brokerAddr()), "MetricsB");
    } finally {
      admin.shutdown();
    }
    String after = awaitMetrics("MetricsB series gone", t -> !t.contains("topic=\"MetricsB\""));
    assertTrue(after.contains("topic=\"MetricsA\""), after);

    // The shipped dashboard only queries series this broker exposes.
    String dashboard = Files.readString(Path.of("conf", "grafana", "apogee-broker.json"));
    Matcher series = Pattern.compile("\\b((?:apogee|vertx|jvm)_[a-z_]+)").matcher(dashboard);
    int checked = 0;
    while (series.find()) {
      String name = series.group(1);
      assertTrue(
          Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(after).find(),
          "the dashboard queries " + name + ", which /metrics does not expose");
      checked++;
    }
    assertTrue(checked >= 10, "dashboard series found: " + checked);
  }
}
