package dev.apogee.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of the README's "Reactive client" section: the code between the markers below is the
 * README's, byte for byte (checked here), and it runs against an in-process Apogee.
 */
@Timeout(60)
class ReadmeExampleTest {
  private static final String START = "// README example: start";
  private static final String END = "// README example: end";

  @TempDir Path dir;

  @Test
  void theReadmeExampleSendsAndConsumes() throws Exception {
    try (ApogeeServer apogee = ApogeeServer.standalone(dir)) {
      Vertx vertx = Vertx.vertx();
      String nameServer = apogee.namesrvAddr();
      // README example: start
      Producer producer =
          Producer.create(
              vertx,
              new ProducerOptions()
                  .setNameServerAddress(nameServer)
                  .setProducerGroup("orders-producer"));

      PushConsumer consumer =
          PushConsumer.create(
                  vertx,
                  new PushConsumerOptions()
                      .setNameServerAddress(nameServer)
                      .setConsumerGroup("orders-consumer"))
              .subscribe("Orders", "Created || Paid")
              .handler(
                  message -> {
                    System.out.println(message.tags() + ": " + message.bodyAsString());
                    return Future.succeededFuture(); // a failed future: deliver it again later
                  });

      Future<SendResult> sent =
          consumer
              .start()
              .compose(
                  started ->
                      producer.send(
                          new Message("Orders", "order 42 created")
                              .setTags("Created")
                              .setKeys("order-42")));
      sent.onSuccess(r -> System.out.println("sent " + r.msgId() + " to " + r.queue()));
      // README example: end
      try {
        SendResult r = Await.result(sent);
        assertEquals(SendStatus.SEND_OK, r.status());
        // the group's offset passes the message once the handler has completed it
        PullConsumer check =
            PullConsumer.create(
                vertx,
                new PullConsumerOptions()
                    .setNameServerAddress(nameServer)
                    .setConsumerGroup("orders-consumer"));
        Await.until(
            () -> {
              Future<Long> committed = Await.settled(check.committed(r.queue()));
              return committed.succeeded() && committed.result() > r.queueOffset();
            },
            Duration.ofSeconds(30),
            () -> "the example's message was not consumed");
        Await.result(check.close());
      } finally {
        Await.result(consumer.close());
        Await.result(producer.close());
        Await.result(vertx.close());
      }
    }
  }

  @Test
  void theReadmeShowsTheExampleAsTested() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String example = example(Path.of("src/test/java/dev/apogee/client/ReadmeExampleTest.java"));
    assertTrue(
        readme.contains(example),
        "README.md must contain the example exactly as in ReadmeExampleTest:\n" + example);
  }

  /** The lines between the markers, without the indentation they share. */
  private static String example(Path source) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int from = -1;
    int to = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(START)) {
        from = i + 1;
      } else if (lines.get(i).trim().equals(END)) {
        to = i;
      }
    }
    List<String> block = new ArrayList<>(lines.subList(from, to));
    int indent =
        block.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String l : block) {
      out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return out.toString();
  }
}
