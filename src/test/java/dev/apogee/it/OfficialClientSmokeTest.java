package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The official RocketMQ 5.5.0 client, with default settings, against a standalone Apogee. */
@Timeout(120)
class OfficialClientSmokeTest {
  @TempDir Path dir;

  @Test
  void producerSendsAndPushConsumerReceivesEveryMessage() throws Exception {
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, Map.of())) {
      DefaultMQProducer producer = new DefaultMQProducer("smoke-producer");
      producer.setNamesrvAddr(apogee.namesrvAddr());
      producer.setInstanceName("smoke-p-" + System.nanoTime());
      producer.start();
      int n = 200;
      Set<String> sent = ConcurrentHashMap.newKeySet();
      try {
        for (int i = 0; i < n; i++) {
          Message m =
              new Message(
                  "SmokeTopic", "TagA", "key-" + i, ("body-" + i).getBytes(StandardCharsets.UTF_8));
          m.putUserProperty("ü-prop", "välue-" + i);
          SendResult r = producer.send(m);
          assertEquals(SendStatus.SEND_OK, r.getSendStatus());
          assertNotNull(r.getOffsetMsgId());
          sent.add(r.getMsgId());
        }
      } finally {
        producer.shutdown();
      }
      CountDownLatch all = new CountDownLatch(n);
      Set<String> received = ConcurrentHashMap.newKeySet();
      DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("smoke-consumer");
      consumer.setNamesrvAddr(apogee.namesrvAddr());
      consumer.setInstanceName("smoke-c-" + System.nanoTime());
      consumer.setConsumeFromWhere(
          org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
      consumer.subscribe("SmokeTopic", "*");
      consumer.registerMessageListener(
          (MessageListenerConcurrently)
              (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                  String body = new String(m.getBody(), StandardCharsets.UTF_8);
                  String i = body.substring("body-".length());
                  if (("key-" + i).equals(m.getKeys())
                      && "TagA".equals(m.getTags())
                      && ("välue-" + i).equals(m.getUserProperty("ü-prop"))
                      && received.add(m.getMsgId())) {
                    all.countDown();
                  }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
              });
      consumer.start();
      try {
        assertTrue(all.await(60, TimeUnit.SECONDS), "received " + received.size() + " of " + n);
        assertEquals(sent, received);
      } finally {
        consumer.shutdown();
      }
    }
  }
}
