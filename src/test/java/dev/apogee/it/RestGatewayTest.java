package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST resources under /v1 on a standalone node with topic auto-creation off: topics created,
 * described, listed and deleted over HTTP; messages sent over HTTP (raw, envelope, batch) read back
 * by the official client exactly; every kind of bad input answered with its JSON error while the
 * broker keeps serving.
 */
class RestGatewayTest {
  private static final int MAX_MESSAGE = 64 * 1024;
  private static final String ENVELOPE = "application/vnd.apogee.message+json";

  @TempDir static Path dir;
  private static Vertx vertx;
  private static Node node;
  private static HttpCalls http;

  @BeforeAll
  static void start() throws Exception {
    ConfigSource src =
        ConfigSource.of(
            Map.of(
                "storePathRootDir", dir.toString(),
                "listenPort", "0",
                "brokerIP1", "127.0.0.1",
                "autoCreateTopicEnable", "false",
                "maxMessageSize", Integer.toString(MAX_MESSAGE)));
    ApogeeConfig config =
        new ApogeeConfig(
            StoreConfig.from(src),
            FlushConfig.from(src),
            BrokerConfig.from(src),
            new NameServerConfig(0),
            new GatewayConfig(true, 0, 100));
    vertx = Vertx.vertx();
    node =
        Node.start(vertx, ConfigLoader.Role.STANDALONE, config)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    http = new HttpCalls(node.httpPort());
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

  @Test
  void topicsAreCreatedDescribedListedAndDeleted() throws Exception {
    HttpResponse<String> created =
        post("/v1/topics", "application/json", "{\"name\":\"RestAdmin\",\"queues\":3}");
    assertEquals(201, created.statusCode(), created.body());

    JsonObject described = json(get("/v1/topics/RestAdmin"), 200);
    assertEquals(3, described.getJsonArray("queues").size(), described.encode());
    assertEquals(0L, described.getLong("messages"));

    for (int i = 0; i < 5; i++) {
      assertEquals(200, post("/v1/topics/RestAdmin/messages", "text/plain", "m" + i).statusCode());
    }
    // Queue offsets follow the commit log a moment later: poll.
    JsonObject[] last = {null};
    Clients.awaitTrue(
        () -> {
          try {
            last[0] = json(get("/v1/topics/RestAdmin"), 200);
            return last[0].getLong("messages") == 5L;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        Duration.ofSeconds(20),
        () -> "five messages described; last: " + last[0]);
    JsonObject after = last[0];
    long maxSum = 0;
    for (Object q : after.getJsonArray("queues")) {
      maxSum += ((JsonObject) q).getLong("maxOffset");
    }
    assertEquals(5, maxSum);

    JsonArray listed = json(get("/v1/topics"), 200).getJsonArray("topics");
    assertTrue(listed.contains("RestAdmin"), listed.encode());
    // The broker registers its system topics (SELF_TEST_TOPIC among them): only on request.
    assertFalse(listed.contains("SELF_TEST_TOPIC"), "system topics listed: " + listed.encode());
    JsonArray all = json(get("/v1/topics?system=true"), 200).getJsonArray("topics");
    assertTrue(all.contains("SELF_TEST_TOPIC"), all.encode());
    assertTrue(all.getList().containsAll(listed.getList()), all.encode());

    assertEquals(204, send("DELETE", "/v1/topics/RestAdmin", null, null).statusCode());
    assertError(get("/v1/topics/RestAdmin"), 404);
    // Auto-creation is off: a deleted topic takes no messages.
    assertError(post("/v1/topics/RestAdmin/messages", "text/plain", "late"), 404);
    assertError(get("/v1/topics/NeverCreated"), 404);
  }

  @Test
  void rawAndEnvelopeMessagesReachTheOfficialClientIntact() throws Exception {
    createTopic("RestSend", 2);
    byte[] binary = new byte[3000];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (i * 31);
    }

    JsonObject raw =
        json(
            send(
                "POST",
                "/v1/topics/RestSend/messages?tags=TagA&keys=k1,k2",
                "application/octet-stream",
                binary),
            200);
    JsonObject text =
        json(
            post(
                "/v1/topics/RestSend/messages",
                ENVELOPE,
                new JsonObject()
                    .put("body", "grüße, 世界")
                    .put("tags", "TagB")
                    .put("keys", new JsonArray().add("order-7"))
                    .put("properties", new JsonObject().put("região", "sul").put("n", "1"))
                    .encode()),
            200);
    byte[] small = {0, 1, 2, (byte) 0xff};
    JsonObject b64 =
        json(
            post(
                "/v1/topics/RestSend/messages",
                ENVELOPE + "; charset=utf-8",
                new JsonObject()
                    .put("bodyBase64", Base64.getEncoder().encodeToString(small))
                    .encode()),
            200);

    MessageExt m1 = readBack(raw);
    assertArrayEquals(binary, m1.getBody());
    assertEquals("TagA", m1.getTags());
    assertEquals("k1 k2", m1.getKeys());
    assertEquals(raw.getString("msgId"), m1.getMsgId());

    MessageExt m2 = readBack(text);
    assertEquals("grüße, 世界", new String(m2.getBody(), StandardCharsets.UTF_8));
    assertEquals("TagB", m2.getTags());
    assertEquals("order-7", m2.getKeys());
    assertEquals("sul", m2.getUserProperty("região"));
    assertEquals("1", m2.getUserProperty("n"));
    assertEquals(text.getString("msgId"), m2.getMsgId());

    assertArrayEquals(small, readBack(b64).getBody());
  }

  @Test
  void aBatchLandsAtConsecutiveOffsetsOfOneQueue() throws Exception {
    createTopic("RestBatch", 4);
    JsonArray messages = new JsonArray();
    for (int i = 0; i < 10; i++) {
      messages.add(new JsonObject().put("body", "b" + i).put("keys", "key" + i));
    }
    JsonArray results =
        json(
                post(
                    "/v1/topics/RestBatch/batch",
                    "application/json",
                    new JsonObject().put("messages", messages).encode()),
                200)
            .getJsonArray("results");
    assertEquals(10, results.size());
    JsonObject first = results.getJsonObject(0);
    for (int i = 0; i < 10; i++) {
      JsonObject r = results.getJsonObject(i);
      assertEquals(first.getInteger("queueId"), r.getInteger("queueId"));
      assertEquals(first.getLong("queueOffset") + i, r.getLong("queueOffset"));
      MessageExt m = readBack(r);
      assertEquals("b" + i, new String(m.getBody(), StandardCharsets.UTF_8));
      assertEquals("key" + i, m.getKeys());
      assertEquals(r.getString("msgId"), m.getMsgId());
    }
  }

  @Test
  void badInputGetsPreciseJsonErrorsAndTheBrokerKeepsServing() throws Exception {
    createTopic("RestBad", 1);
    assertError(post("/v1/topics/bad%20topic!/messages", "text/plain", "x"), 400);
    assertError(post("/v1/topics/SCHEDULE_TOPIC_XXXX/messages", "text/plain", "x"), 400);
    assertError(post("/v1/topics/RestBad/messages", "text/plain", ""), 400);
    assertError(post("/v1/topics/RestBad/messages", ENVELOPE, "{not json"), 400);
    assertError(post("/v1/topics/RestBad/messages", ENVELOPE, "[1,2]"), 400);
    assertError(post("/v1/topics/RestBad/messages", ENVELOPE, "{\"bodyText\":\"x\"}"), 400);
    assertError(post("/v1/topics/RestBad/messages", ENVELOPE, "{\"tags\":\"a\"}"), 400);
    assertError(
        post("/v1/topics/RestBad/messages", ENVELOPE, "{\"body\":\"x\",\"bodyBase64\":\"eA==\"}"),
        400);
    assertError(post("/v1/topics/RestBad/messages", ENVELOPE, "{\"bodyBase64\":\"***\"}"), 400);
    assertError(
        post(
            "/v1/topics/RestBad/messages",
            ENVELOPE,
            "{\"body\":\"x\",\"properties\":{\"UNIQ_KEY\":\"forged\"}}"),
        400);
    assertError(
        post("/v1/topics/RestBad/messages", ENVELOPE, "{\"body\":\"x\",\"properties\":{\"a\":1}}"),
        400);
    assertError(
        post("/v1/topics/RestBad/messages", ENVELOPE, "{\"body\":\"x\",\"delayLevel\":\"two\"}"),
        400);
    assertError(
        post(
            "/v1/topics/RestBad/messages",
            ENVELOPE,
            "{\"body\":\"x\",\"delayLevel\":2,\"deliverAt\":1}"),
        400);
    assertError(post("/v1/topics/RestBad/messages?delayMs=soon", "text/plain", "x"), 400);
    assertError(
        post("/v1/topics/RestBad/messages", ENVELOPE, "{\"body\":\"x\",\"keys\":[\"a b\"]}"), 400);
    assertError(post("/v1/topics/RestBad/messages?tags=a%01b", "text/plain", "x"), 400);
    // Over the size limit: as a raw body, and as an envelope whose decoded body is too large.
    assertError(
        send(
            "POST",
            "/v1/topics/RestBad/messages",
            "application/octet-stream",
            new byte[MAX_MESSAGE + 1]),
        413);
    assertError(
        send(
            "POST",
            "/v1/topics/RestBad/messages",
            "application/octet-stream",
            new byte[4 * MAX_MESSAGE]),
        413);
    assertError(
        post(
            "/v1/topics/RestBad/messages",
            ENVELOPE,
            new JsonObject()
                .put("bodyBase64", Base64.getEncoder().encodeToString(new byte[MAX_MESSAGE + 1]))
                .encode()),
        413);
    assertError(post("/v1/topics/RestBad/batch", "application/json", "{\"messages\":[]}"), 400);
    assertError(
        post(
            "/v1/topics/RestBad/batch",
            "application/json",
            "{\"messages\":[{\"body\":\"x\",\"delayLevel\":3}]}"),
        400);
    assertError(post("/v1/topics", "application/json", "{\"queues\":2}"), 400);
    assertError(post("/v1/topics", "application/json", "{\"name\":\"Q\",\"queues\":0}"), 400);
    assertError(post("/v1/topics", "application/json", "{\"name\":\"TBW102\"}"), 400);
    assertError(send("DELETE", "/v1/topics/TBW102", null, null), 400);
    assertError(get("/v1/no/such/thing"), 404);

    // Nothing of the above reached the topic, and the next good message gets offset 0.
    JsonObject ok = json(post("/v1/topics/RestBad/messages", "text/plain", "fine"), 200);
    assertEquals(0L, ok.getLong("queueOffset"));
    assertEquals("fine", new String(readBack(ok).getBody(), StandardCharsets.UTF_8));
  }

  @Test
  void messagesAreFoundByIdAndByKeyWhoeverSentThem() throws Exception {
    createTopic("RestFind", 2);
    JsonObject viaHttp =
        json(
            post(
                "/v1/topics/RestFind/messages",
                ENVELOPE,
                new JsonObject()
                    .put("body", "from http")
                    .put("tags", "T1")
                    .put("keys", new JsonArray().add("shared-key").add("http-key"))
                    .encode()),
            200);
    DefaultMQProducer producer = new DefaultMQProducer("rest-find-producer");
    producer.setNamesrvAddr("127.0.0.1:" + node.nameServerPort());
    producer.setInstanceName(Clients.instanceName("p"));
    producer.start();
    String officialId;
    try {
      Message m = new Message("RestFind", "T2", "shared-key", new byte[] {1, 2, (byte) 0xfe});
      officialId = producer.send(m).getMsgId();
    } finally {
      producer.shutdown();
    }

    // The key index is built behind the commit log: poll until both are found.
    JsonObject[] byKey = {null};
    Clients.awaitTrue(
        () -> {
          try {
            byKey[0] = json(get("/v1/topics/RestFind/messages?key=shared-key"), 200);
            return byKey[0].getJsonArray("messages").size() == 2;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        Duration.ofSeconds(20),
        () -> "both messages by key; last: " + byKey[0]);
    JsonArray found = byKey[0].getJsonArray("messages");
    JsonObject http0 = null;
    JsonObject official0 = null;
    for (Object o : found) {
      JsonObject m = (JsonObject) o;
      if (m.getString("msgId").equals(viaHttp.getString("msgId"))) {
        http0 = m;
      } else if (m.getString("msgId").equals(officialId)) {
        official0 = m;
      }
    }
    assertNotNull(http0, found.encode());
    assertNotNull(official0, found.encode());
    assertEquals("from http", http0.getString("body"));
    assertEquals("T1", http0.getString("tags"));
    assertEquals(new JsonArray().add("shared-key").add("http-key"), http0.getJsonArray("keys"));
    assertEquals(viaHttp.getLong("queueOffset"), http0.getLong("queueOffset"));
    assertEquals("T2", official0.getString("tags"));
    assertFalse(official0.containsKey("body"), "not UTF-8, so base64 only: " + official0.encode());
    assertArrayEquals(
        new byte[] {1, 2, (byte) 0xfe},
        Base64.getDecoder().decode(official0.getString("bodyBase64")));

    JsonObject one = json(get("/v1/topics/RestFind/messages/" + officialId), 200);
    assertEquals(officialId, one.getString("msgId"));
    assertEquals("T2", one.getString("tags"));
    assertEquals(
        "from http",
        json(get("/v1/topics/RestFind/messages/" + viaHttp.getString("msgId")), 200)
            .getString("body"));
    assertEquals(
        1,
        json(get("/v1/topics/RestFind/messages?key=http-key"), 200)
            .getJsonArray("messages")
            .size());

    assertError(get("/v1/topics/RestFind/messages/" + "0".repeat(32)), 404);
    assertError(get("/v1/topics/RestFind/messages/not-an-id"), 400);
    assertError(get("/v1/topics/RestFind/messages"), 400);
    assertError(get("/v1/topics/RestFind/messages?key=k&max=0"), 400);
    assertError(get("/v1/topics/NoSuchTopic/messages?key=k"), 404);
  }

  @Test
  void theOpenApiDocumentDescribesExactlyTheRoutes() throws Exception {
    HttpResponse<String> r = get("/openapi.json");
    assertEquals(200, r.statusCode());
    JsonObject doc = new JsonObject(r.body());
    assertEquals("3.0.3", doc.getString("openapi"));
    JsonObject paths = doc.getJsonObject("paths");

    Set<String> documented = new TreeSet<>();
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!method.equals("parameters")) {
          documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    Set<String> routed = new TreeSet<>();
    for (String route : node.gateway().routes()) {
      routed.add(route.replaceAll(":([A-Za-z]+)", "{$1}"));
    }
    assertEquals(routed, documented);

    // Every $ref points at a component that exists.
    Matcher refs = Pattern.compile("\"#/components/(\\w+)/(\\w+)\"").matcher(r.body());
    int n = 0;
    while (refs.find()) {
      n++;
      assertNotNull(
          doc.getJsonObject("components").getJsonObject(refs.group(1)).getValue(refs.group(2)),
          refs.group());
    }
    assertTrue(n > 10, "references found: " + n);
  }

  @Test
  void aWebSocketTailNeverSendsMoreThanItsCredits() throws Exception {
    createTopic("RestWs", 2);
    Set<String> sent = new TreeSet<>();
    for (int i = 0; i < 10; i++) {
      json(post("/v1/topics/RestWs/messages", "text/plain", "w" + i), 200);
      sent.add("w" + i);
    }
    awaitMessages("RestWs", 10);

    Frames frames = new Frames();
    WebSocket ws = connect("/v1/ws/subscribe?topic=RestWs&from=earliest&credit=4", frames);
    try {
      frames.await(f -> f.messages().size() == 4, "four messages on four credits");
      // A bad frame is answered in order on the socket: anything sent beyond the credits before
      // that answer would show up first.
      ws.writeTextMessage("{\"credits\": 1}").await();
      frames.await(f -> !f.errors().isEmpty(), "an error frame");
      assertEquals(400, frames.errors().get(0).getInteger("code"));
      assertEquals(4, frames.messages().size(), "no message beyond the credits");

      ws.writeTextMessage("{\"credit\": 6}").await();
      frames.await(f -> f.messages().size() == 10, "ten messages on ten credits");
      Set<String> got = new TreeSet<>();
      for (JsonObject m : frames.messages()) {
        got.add(m.getString("body"));
      }
      assertEquals(sent, got);
    } finally {
      ws.close().await();
    }
  }

  @Test
  void aWebSocketTailFromNowFiltersByTagAndSpeaksBinary() throws Exception {
    createTopic("RestWsTags", 2);
    json(post("/v1/topics/RestWsTags/messages?tags=TagA", "text/plain", "before"), 200);
    Frames frames = new Frames();
    WebSocket ws =
        connect("/v1/ws/subscribe?topic=RestWsTags&tag=TagA&credit=100&binary=true", frames);
    try {
      frames.await(f -> f.subscribed() != null, "the subscribed frame");
      assertEquals(2, frames.subscribed().getInteger("queues"));
      for (int i = 0; i < 3; i++) {
        json(post("/v1/topics/RestWsTags/messages?tags=TagA", "text/plain", "a" + i), 200);
        json(post("/v1/topics/RestWsTags/messages?tags=TagB", "text/plain", "b" + i), 200);
      }
      frames.await(f -> f.binary().size() == 3, "three TagA messages");
      Set<String> bodies = new TreeSet<>();
      for (Buffer b : frames.binary()) {
        int len = b.getInt(0);
        JsonObject header = new JsonObject(b.getBuffer(4, 4 + len));
        assertEquals("TagA", header.getString("tags"));
        assertEquals("RestWsTags", header.getString("topic"));
        bodies.add(b.getString(4 + len, b.length(), "UTF-8"));
      }
      assertEquals(Set.of("a0", "a1", "a2"), bodies, "not the one sent before, nor TagB");
    } finally {
      ws.close().await();
    }
  }

  @Test
  void aWebSocketRequestWithBadParametersIsRefused() throws Exception {
    assertError(get("/v1/ws/subscribe"), 400);
    assertError(get("/v1/ws/subscribe?topic=bad%20name"), 400);
    assertError(get("/v1/ws/subscribe?topic=RestBad&group=g1"), 400);
    assertError(get("/v1/ws/subscribe?topic=RestBad"), 400); // not an upgrade request
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      Throwable e =
          client
              .connect(
                  node.httpPort(), "127.0.0.1", "/v1/ws/subscribe?topic=RestBad&from=yesterday")
              .toCompletionStage()
              .toCompletableFuture()
              .handle((ok, err) -> err)
              .get(30, TimeUnit.SECONDS);
      assertTrue(e instanceof UpgradeRejectedException, String.valueOf(e));
      assertEquals(400, ((UpgradeRejectedException) e).getStatus());
    } finally {
      client.close().await();
    }
  }

  @Test
  void aGroupIsResetToAnOffsetOrATimeAndItsLagFollows() throws Exception {
    createTopic("RestReplay", 2);
    for (int i = 0; i < 6; i++) {
      json(post("/v1/topics/RestReplay/messages", "text/plain", "r" + i), 200);
    }
    awaitMessages("RestReplay", 6);
    String base = "/v1/groups/replay-group/offsets";

    // No member is online: the offsets are committed directly.
    JsonObject reset =
        json(
            post(base + "/reset", "application/json", "{\"topic\":\"RestReplay\",\"offset\":0}"),
            200);
    assertEquals(2, reset.getJsonArray("queues").size(), reset.encode());
    JsonObject progress = json(get(base + "?topic=RestReplay"), 200);
    assertEquals(6L, progress.getLong("lag"), progress.encode());

    long later = System.currentTimeMillis() + 3_600_000;
    json(
        post(
            base + "/reset",
            "application/json",
            "{\"topic\":\"RestReplay\",\"timestamp\":" + later + "}"),
        200);
    assertEquals(0L, json(get(base + "?topic=RestReplay"), 200).getLong("lag"));
    json(
        post(base + "/reset", "application/json", "{\"topic\":\"RestReplay\",\"offset\":1000}"),
        200);
    assertEquals(0L, json(get(base + "?topic=RestReplay"), 200).getLong("lag"), "clamped");

    json(
        post(base + "/reset", "application/json", "{\"topic\":\"RestReplay\",\"timestamp\":0}"),
        200);
    JsonObject replay = json(get(base), 200);
    assertEquals(6L, replay.getLong("lag"), replay.encode());
    for (Object o : replay.getJsonArray("queues")) {
      assertEquals("RestReplay", ((JsonObject) o).getString("topic"));
      assertEquals(0L, ((JsonObject) o).getLong("consumerOffset"));
    }

    // The official consumer of the group starts where the reset put it: every message again.
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("replay-group");
    consumer.setNamesrvAddr("127.0.0.1:" + node.nameServerPort());
    consumer.setInstanceName(Clients.instanceName("c"));
    consumer.subscribe("RestReplay", "*");
    Set<String> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
    consumer.registerMessageListener(
        (MessageListenerConcurrently)
            (msgs, ctx) -> {
              msgs.forEach(m -> got.add(new String(m.getBody(), StandardCharsets.UTF_8)));
              return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
    consumer.start();
    try {
      // A new group's first rebalance may run before the broker lists its member; the client
      // rebalances again within 20 s.
      Clients.awaitTrue(() -> got.size() == 6, Duration.ofSeconds(60), () -> "replayed: " + got);
    } finally {
      consumer.shutdown();
    }

    assertError(get("/v1/groups/bad%20group!/offsets"), 400);
    assertError(post(base + "/reset", "application/json", "{\"offset\":0}"), 400);
    assertError(
        post(
            base + "/reset",
            "application/json",
            "{\"topic\":\"RestReplay\",\"offset\":0,\"timestamp\":0}"),
        400);
    assertError(
        post(base + "/reset", "application/json", "{\"topic\":\"RestReplay\",\"offset\":-1}"), 400);
    assertError(
        post(base + "/reset", "application/json", "{\"topic\":\"RestReplay\",\"when\":0}"), 400);
    assertError(
        post(base + "/reset", "application/json", "{\"topic\":\"NoSuchTopic\",\"offset\":0}"), 404);
  }

  /** What a WebSocket received, by kind. */
  private static final class Frames {
    private final List<JsonObject> messages = new ArrayList<>();
    private final List<JsonObject> errors = new ArrayList<>();
    private final List<Buffer> binary = new ArrayList<>();
    private JsonObject subscribed;

    synchronized void text(String s) {
      JsonObject o = new JsonObject(s);
      if (o.containsKey("error")) {
        errors.add(o.getJsonObject("error"));
      } else if (o.containsKey("subscribed")) {
        subscribed = o.getJsonObject("subscribed");
      } else {
        messages.add(o);
      }
    }

    synchronized void binary(Buffer b) {
      binary.add(b);
    }

    synchronized List<JsonObject> messages() {
      return List.copyOf(messages);
    }

    synchronized List<JsonObject> errors() {
      return List.copyOf(errors);
    }

    synchronized List<Buffer> binary() {
      return List.copyOf(binary);
    }

    synchronized JsonObject subscribed() {
      return subscribed;
    }

    void await(java.util.function.Predicate<Frames> done, String what) throws Exception {
      Clients.awaitTrue(
          () -> done.test(this),
          Duration.ofSeconds(20),
          () -> what + "; messages " + messages().size() + ", errors " + errors());
    }
  }

  private static WebSocket connect(String uri, Frames frames) throws Exception {
    // The handlers go in on the socket's context as it opens: set later from this thread, they
    // could miss the first frames.
    return vertx
        .createWebSocketClient()
        .connect(node.httpPort(), "127.0.0.1", uri)
        .map(
            ws -> {
              ws.textMessageHandler(frames::text);
              ws.binaryMessageHandler(frames::binary);
              return ws;
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static void awaitMessages(String topic, long n) throws Exception {
    JsonObject[] last = {null};
    Clients.awaitTrue(
        () -> {
          try {
            last[0] = json(get("/v1/topics/" + topic), 200);
            return last[0].getLong("messages") == n;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        Duration.ofSeconds(20),
        () -> n + " messages in " + topic + "; last: " + last[0]);
  }

  // ------------------------------------------------------------------ helpers

  private static void createTopic(String name, int queues) throws Exception {
    HttpResponse<String> r =
        post(
            "/v1/topics",
            "application/json",
            new JsonObject().put("name", name).put("queues", queues).encode());
    assertEquals(201, r.statusCode(), r.body());
  }

  /**
   * Reads the message a send result names with the official client: one pull at exactly that queue
   * and offset (the plain pull consumer, which has no background pulls to race with).
   */
  @SuppressWarnings("deprecation")
  private static MessageExt readBack(JsonObject sendResult) throws Exception {
    MessageQueue mq =
        new MessageQueue(
            sendResult.getString("topic"),
            sendResult.getString("brokerName"),
            sendResult.getInteger("queueId"));
    long offset = sendResult.getLong("queueOffset");
    DefaultMQPullConsumer c = new DefaultMQPullConsumer("rest-reader");
    c.setNamesrvAddr("127.0.0.1:" + node.nameServerPort());
    c.setInstanceName(Clients.instanceName("rest"));
    c.start();
    try {
      // The queue offset follows the commit log a moment later: pull until it is there.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      PullResult r = c.pull(mq, "*", offset, 1);
      while (r.getPullStatus() != PullStatus.FOUND && System.nanoTime() < deadline) {
        r = c.pull(mq, "*", offset, 1);
      }
      assertEquals(PullStatus.FOUND, r.getPullStatus(), "nothing at " + mq + " offset " + offset);
      MessageExt m = r.getMsgFoundList().get(0);
      assertEquals(offset, m.getQueueOffset());
      return m;
    } finally {
      c.shutdown();
    }
  }

  private static void assertError(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals(status, body.getInteger("code"), r.body());
    assertNotNull(body.getString("message"), r.body());
    assertFalse(body.getString("message").isBlank(), r.body());
  }

  private static JsonObject json(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.get(path);
  }

  private static HttpResponse<String> post(String path, String type, String body) throws Exception {
    return http.post(path, type, body);
  }

  private static HttpResponse<String> send(String method, String path, String type, byte[] body)
      throws Exception {
    return http.send(method, path, type, body);
  }
}
