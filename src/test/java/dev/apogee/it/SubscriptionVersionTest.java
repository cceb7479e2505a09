package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members of one consumer group bump their subscription versions at their own rebalances and
 * heartbeat at their own times; a member's heartbeat with an older version of the same expression
 * must not make the broker refuse another member's pulls as SUBSCRIPTION_NOT_LATEST.
 */
@Timeout(60)
class SubscriptionVersionTest {
  private static final int HEART_BEAT = 34;
  private static final int PULL_MESSAGE = 11;
  private static final int SEND_MESSAGE_V2 = 310;
  private static final int SUBSCRIPTION_NOT_LATEST = 25;
  private static final String TOPIC = "Versions";
  private static final String GROUP = "versions-group";

  @TempDir Path dir;

  @Test
  void anOlderMemberHeartbeatDoesNotRegressTheGroupsSubscriptionVersion() throws Exception {
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, Map.of());
        RawBrokerSocket a = new RawBrokerSocket(apogee.node.broker().port());
        RawBrokerSocket b = new RawBrokerSocket(apogee.node.broker().port())) {
      RawBrokerSocket.Frame sent = a.call(SEND_MESSAGE_V2, send(), "m".getBytes());
      assertEquals(0, sent.code(), sent::toString);
      // The consume queue is built just after the send is answered: wait for it, so the pull
      // below finds the message instead of an empty queue.
      Clients.awaitTrue(
          () -> apogee.node.store().maxOffsetInQueue(TOPIC, 0) >= 1,
          java.time.Duration.ofSeconds(10),
          () -> "message not in queue 0");
      assertEquals(0, a.call(HEART_BEAT, null, heartbeat("a@1", 2_000)).code());
      assertEquals(0, b.call(HEART_BEAT, null, heartbeat("b@2", 1_000)).code());

      RawBrokerSocket.Frame pulled = a.call(PULL_MESSAGE, pull(2_000), new byte[0]);
      assertEquals(0, pulled.code(), pulled::toString);

      // A changed expression is taken whatever its version.
      assertEquals(0, b.call(HEART_BEAT, null, heartbeat("b@2", 1_500, "TagX")).code());
      RawBrokerSocket.Frame refused = a.call(PULL_MESSAGE, pull(2_000), new byte[0]);
      assertEquals(SUBSCRIPTION_NOT_LATEST, refused.code(), refused::toString);
    }
  }

  private static byte[] heartbeat(String clientId, long subVersion) {
    return heartbeat(clientId, subVersion, "*");
  }

  private static byte[] heartbeat(String clientId, long subVersion, String expression) {
    String tags = "*".equals(expression) ? "[]" : "[\"" + expression + "\"]";
    String codes = "*".equals(expression) ? "[]" : "[" + expression.hashCode() + "]";
    String json =
        "{\"clientID\":\""
            + clientId
            + "\",\"producerDataSet\":[],\"consumerDataSet\":[{\"groupName\":\""
            + GROUP
            + "\",\"consumeType\":\"CONSUME_PASSIVELY\",\"messageModel\":\"CLUSTERING\","
            + "\"consumeFromWhere\":\"CONSUME_FROM_FIRST_OFFSET\",\"unitMode\":false,"
            + "\"subscriptionDataSet\":[{\"topic\":\""
            + TOPIC
            + "\",\"subString\":\""
            + expression
            + "\",\"tagsSet\":"
            + tags
            + ",\"codeSet\":"
            + codes
            + ",\"subVersion\":"
            + subVersion
            + ",\"expressionType\":\"TAG\",\"classFilterMode\":false}]}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> pull(long subVersion) {
    Map<String, String> h = new HashMap<>();
    h.put("consumerGroup", GROUP);
    h.put("topic", TOPIC);
    h.put("queueId", "0");
    h.put("queueOffset", "0");
    h.put("maxMsgNums", "32");
    h.put("sysFlag", "0");
    h.put("commitOffset", "0");
    h.put("suspendTimeoutMillis", "0");
    h.put("subVersion", String.valueOf(subVersion));
    h.put("expressionType", "TAG");
    return h;
  }

  private static Map<String, String> send() {
    Map<String, String> h = new HashMap<>();
    h.put("a", "versions-producer");
    h.put("b", TOPIC);
    h.put("c", "TBW102");
    h.put("d", "1");
    h.put("e", "0");
    h.put("f", "0");
    h.put("g", String.valueOf(System.currentTimeMillis()));
    h.put("h", "0");
    h.put("i", "");
    return h;
  }
}
