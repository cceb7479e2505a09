package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.Apogee;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code apogee dlq list} and {@code resend} against a message the official push consumer gave up
 * on: listed with its original topic, and resent there with its body, tags, keys, user property and
 * id, where the group consumes it again.
 */
@Timeout(90)
class DeadLetterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aDeadLetterIsListedAndResentToItsTopic() throws Exception {
    String topic = "Doomed";
    String group = "dlq-group";
    try (ApogeeFixture apogee = ApogeeFixture.start(dir, Map.of())) {
      DefaultMQProducer producer = Clients.producer(apogee, "dlq-producer");
      producer.start();
      Queue<MessageExt> deliveries = new ConcurrentLinkedQueue<>();
      boolean[] failing = {true};
      DefaultMQPushConsumer consumer = Clients.pushConsumer(apogee, group);
      // No retries: the first failure goes to the dead-letter topic.
      consumer.setMaxReconsumeTimes(0);
      consumer.subscribe(topic, "*");
      consumer.registerMessageListener(
          (MessageListenerConcurrently)
              (msgs, ctx) -> {
                deliveries.addAll(msgs);
                return failing[0]
                    ? ConsumeConcurrentlyStatus.RECONSUME_LATER
                    : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
              });
      try {
        Message m =
            new Message(topic, "TagD", "order-9", "poison".getBytes(StandardCharsets.UTF_8));
        m.putUserProperty("reason", "bad-input");
        SendResult sent = producer.send(m);
        consumer.start();
        String dlq = "%DLQ%" + group;
        Clients.awaitTrue(
            () -> apogee.node.store().maxOffsetInQueue(dlq, 0) == 1,
            WAIT,
            () -> "not in " + dlq + "; deliveries " + deliveries.size());
        assertEquals(1, deliveries.size(), "delivered once, then given up");

        String[] list = run("dlq", "list", "-n", apogee.namesrvAddr(), "-g", group, "--json");
        assertEquals("0", list[0], list[2]);
        List<String> lines = list[1].lines().toList();
        assertEquals(1, lines.size(), list[1]);
        JsonObject dead = new JsonObject(lines.get(0));
        assertEquals(sent.getMsgId(), dead.getString("msgId"));
        assertEquals(topic, dead.getJsonObject("properties").getString("RETRY_TOPIC"));
        assertEquals("poison", dead.getString("body"));

        String[] text = run("dlq", "list", "-n", apogee.namesrvAddr(), "-g", group);
        assertTrue(text[1].contains("from " + topic), text[1]);
        assertTrue(text[1].contains("1 dead letter(s) in " + dlq), text[1]);

        failing[0] = false;
        String[] resent =
            run(
                "dlq",
                "resend",
                "-n",
                apogee.namesrvAddr(),
                "-g",
                group,
                "--msg-id",
                sent.getMsgId());
        assertEquals("0", resent[0], resent[2]);
        assertTrue(resent[1].contains("resent to " + topic), resent[1]);
        Clients.awaitTrue(() -> deliveries.size() == 2, WAIT, () -> "resent message consumed");
        MessageExt again = List.copyOf(deliveries).get(1);
        assertEquals(topic, again.getTopic());
        assertEquals(sent.getMsgId(), again.getMsgId(), "same message id");
        assertEquals("poison", new String(again.getBody(), StandardCharsets.UTF_8));
        assertEquals("TagD", again.getTags());
        assertEquals("order-9", again.getKeys());
        assertEquals("bad-input", again.getUserProperty("reason"));
        assertEquals(
            0,
            again.getReconsumeTimes(),
            "a fresh start; " + again + "; dead letter " + dead.encode());

        String[] missing =
            run(
                "dlq",
                "resend",
                "-n",
                apogee.namesrvAddr(),
                "-g",
                group,
                "--msg-id",
                "0".repeat(32));
        assertEquals("1", missing[0]);
        assertTrue(missing[2].contains("no dead letter"), missing[2]);
      } finally {
        consumer.shutdown();
        producer.shutdown();
      }
    }
  }

  /** Exit code, standard output and error of the command line. */
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Apogee.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }
}
