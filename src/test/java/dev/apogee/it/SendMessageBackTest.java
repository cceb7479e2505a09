package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.store.GetResult;
import dev.apogee.store.MessageFilter;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.MessageRecord;
import dev.apogee.store.message.RecordDecoder;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official push consumer's failed messages (a listener answering RECONSUME_LATER) come back
 * through CONSUMER_SEND_MSG_BACK: later, with one more reconsume time and their identity, until the
 * group's limit, then they rest in the group's dead-letter topic. Delay levels are shortened to 1 s
 * so the retries come quickly.
 */
@Timeout(60)
class SendMessageBackTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> LEVELS =
      Map.of("messageDelayLevel", "1s 1s 1s 1s 1s 1s 1s 1s");
  private static final int CONSUMER_SEND_MSG_BACK = 36;

  @TempDir Path dir;

  record Delivery(MessageExt message, long receivedAt) {}

  @Test
  void aFailedMessageComesBackWithCountedRetriesThenRestsInTheDeadLetterTopic() throws Exception {
    String topic = "Retried";
    String group = "retry-group";
    String dlq = "%DLQ%" + group;
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, LEVELS)) {
      DefaultMQProducer producer = Clients.producer(apogee, "retry-producer");
      producer.start();
      Queue<Delivery> failing = new ConcurrentLinkedQueue<>();
      Queue<Delivery> fine = new ConcurrentLinkedQueue<>();
      DefaultMQAdminExt admin = new DefaultMQAdminExt();
      admin.setNamesrvAddr(apogee.namesrvAddr());
      admin.setInstanceName(Clients.instanceName("a"));
      admin.start();
      // A group that consumed before has its retry topic. A brand-new group's is made at its first
      // heartbeat, after the client first asked for routes, so the client would only read it at
      // its next rebalance, 20 s later: too slow for a test.
      String retryTopic = "%RETRY%" + group;
      admin.createAndUpdateTopicConfig(
          apogee.node.broker().brokerAddr(), new TopicConfig(retryTopic, 1, 1, 6));
      Clients.awaitTrue(() -> routed(admin, retryTopic), WAIT, () -> retryTopic + " never routed");
      DefaultMQPushConsumer consumer = Clients.pushConsumer(apogee, group);
      consumer.setMaxReconsumeTimes(2);
      consumer.subscribe(topic, "*");
      consumer.registerMessageListener(
          (MessageListenerConcurrently)
              (msgs, ctx) -> {
                long now = System.currentTimeMillis();
                MessageExt m = msgs.get(0);
                if (new String(m.getBody(), StandardCharsets.UTF_8).equals("fail-me")) {
                  failing.add(new Delivery(m, now));
                  return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                }
                fine.add(new Delivery(m, now));
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
              });
      try {
        Message bad = new Message(topic, "TagF", "kf1 kf2", "fail-me".getBytes());
        bad.putUserProperty("color", "red");
        SendResult sent = producer.send(bad);
        assertEquals(SendStatus.SEND_OK, sent.getSendStatus());
        SendResult ok = producer.send(new Message(topic, "TagOk", "fine".getBytes()));
        assertEquals(SendStatus.SEND_OK, ok.getSendStatus());
        consumer.start();

        Clients.awaitTrue(
            () -> apogee.node.store().maxOffsetInQueue(dlq, 0) == 1,
            WAIT,
            () -> "not in " + dlq + "; deliveries " + failing.size());
        List<Delivery> tries = List.copyOf(failing);
        assertEquals(3, tries.size(), "deliveries of the failing message");
        for (int i = 0; i < tries.size(); i++) {
          MessageExt m = tries.get(i).message();
          assertEquals(i, m.getReconsumeTimes(), "reconsumeTimes of delivery " + i);
          assertEquals(topic, m.getTopic(), "the client shows the original topic");
          assertEquals(sent.getMsgId(), m.getMsgId(), "msgId kept");
          assertEquals("fail-me", new String(m.getBody(), StandardCharsets.UTF_8));
          assertEquals("TagF", m.getTags());
          assertEquals("kf1 kf2", m.getKeys());
          assertEquals("red", m.getUserProperty("color"));
          if (i > 0) {
            assertEquals(topic, m.getProperty("RETRY_TOPIC"));
            assertEquals(sent.getOffsetMsgId(), m.getProperty("ORIGIN_MESSAGE_ID"));
            long gap = tries.get(i).receivedAt() - tries.get(i - 1).receivedAt();
            assertTrue(gap >= 1_000, "retry " + i + " came " + gap + " ms after the failure");
          }
        }

        MessageRecord dead = onlyRecord(apogee, dlq);
        assertEquals(dlq, dead.topic());
        assertEquals(3, dead.reconsumeTimes());
        assertEquals(sent.getMsgId(), dead.uniqKey());
        assertEquals(topic, dead.property("RETRY_TOPIC"));
        assertEquals(sent.getOffsetMsgId(), dead.property("ORIGIN_MESSAGE_ID"));
        assertEquals("red", dead.property("color"));
        assertNull(dead.property("DELAY"));
        assertEquals("fail-me", new String(dead.body(), StandardCharsets.UTF_8));

        // Two retries were scheduled and written back, nothing more: no fourth delivery.
        JsonObject offsets = DelayedMessagesTest.allDelayOffsets(apogee);
        long scheduled =
            offsets.getJsonObject("offsetTable").stream()
                .mapToLong(e -> ((Number) e.getValue()).longValue())
                .sum();
        assertEquals(2, scheduled, offsets.encode());
        assertEquals(2, apogee.node.store().maxOffsetInQueue("%RETRY%" + group, 0));
        assertEquals(3, failing.size(), "delivered again after the dead-letter move");
        assertEquals(1, fine.size());
        assertEquals(0, fine.peek().message().getReconsumeTimes());

        TopicConfig t = admin.examineTopicConfig(apogee.node.broker().brokerAddr(), dlq);
        assertEquals(1, t.getWriteQueueNums());
        assertEquals(6, t.getPerm(), "RocketMQ 5 makes dead-letter topics readable");
      } finally {
        consumer.shutdown();
        producer.shutdown();
        admin.shutdown();
      }
    }
  }

  @Test
  void malformedSendBacksAreRefusedPrecisely() throws Exception {
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, LEVELS);
        RawBrokerSocket s = new RawBrokerSocket(apogee.node.broker().port())) {
      RawBrokerSocket.Frame nowhere =
          s.call(
              CONSUMER_SEND_MSG_BACK,
              Map.of("offset", "123456", "group", "g1", "delayLevel", "0"),
              new byte[0]);
      assertEquals(1, nowhere.code(), nowhere::toString);
      assertEquals("look message by offset failed, 123456", nowhere.remark());
      RawBrokerSocket.Frame noGroup =
          s.call(CONSUMER_SEND_MSG_BACK, Map.of("offset", "0", "delayLevel", "0"), new byte[0]);
      assertEquals(29, noGroup.code(), noGroup::toString);
      assertTrue(noGroup.remark().contains("group"), noGroup.remark());
      RawBrokerSocket.Frame badLevel =
          s.call(
              CONSUMER_SEND_MSG_BACK,
              Map.of("offset", "0", "group", "g1", "delayLevel", "soon"),
              new byte[0]);
      assertEquals(29, badLevel.code(), badLevel::toString);
      assertTrue(badLevel.remark().contains("delayLevel"), badLevel.remark());
      RawBrokerSocket.Frame badGroup =
          s.call(
              CONSUMER_SEND_MSG_BACK,
              Map.of("offset", "0", "group", "no spaces", "delayLevel", "0"),
              new byte[0]);
      assertEquals(29, badGroup.code(), badGroup::toString);
    }
  }

  private static boolean routed(DefaultMQAdminExt admin, String topic) {
    try {
      return !admin.examineTopicRouteInfo(topic).getQueueDatas().isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private static MessageRecord onlyRecord(ApogeeFixture apogee, String topic) {
    GetResult r = apogee.node.store().getMessages(topic, 0, 0, 32, 1 << 20, MessageFilter.ALL);
    try {
      assertEquals(1, r.records().size(), topic);
      SelectedRecord rec = r.records().get(0);
      return RecordDecoder.decode(rec.buffer(), 0);
    } finally {
      r.release();
    }
  }
}
