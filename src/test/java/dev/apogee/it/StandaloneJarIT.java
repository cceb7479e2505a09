package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a user runs it: {@code java -jar target/apogee.jar} with no arguments in an
 * empty directory. It must become ready on the default ports (answering {@code /ready}), serve the
 * official client, stop cleanly on SIGTERM, and come back with every message after a restart. Runs
 * after {@code package} (failsafe), because it needs the jar.
 */
class StandaloneJarIT {
  private static final Path JAR = Path.of("target", "apogee.jar").toAbsolutePath();
  private static final String NAMESRV = "127.0.0.1:9876";
  private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");
  private static final int MESSAGES = 200;

  @TempDir Path work;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void startsServesStopsOnSigtermAndRecovers() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "no " + JAR + ": run this after mvn package");
    assertPortFree(9876);
    assertPortFree(10911);
    assertPortFree(8080);

    Path firstLog = work.resolve("first.log");
    Process first = start(firstLog);
    long readyMs = awaitReady(first, firstLog);
    assertTrue(Files.isDirectory(work.resolve("data")), "data directory ./data created");
    HttpResponse<String> ready =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());

    String topic = "JarTopic";
    Set<String> sent = new HashSet<>();
    DefaultMQProducer producer = new DefaultMQProducer("jar-producer");
    producer.setNamesrvAddr(NAMESRV);
    producer.setInstanceName(Clients.instanceName("jar-p"));
    producer.start();
    try {
      for (int i = 0; i < MESSAGES; i++) {
        Message m =
            new Message(topic, "TagA", "key-" + i, ("body-" + i).getBytes(StandardCharsets.UTF_8));
        SendResult r = producer.send(m);
        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
        sent.add(r.getMsgId());
      }
    } finally {
      producer.shutdown();
    }
    assertEquals(MESSAGES, sent.size());

    stopWithSigterm(first, firstLog);

    Path secondLog = work.resolve("second.log");
    Process second = start(secondLog);
    awaitReady(second, secondLog);
    String restartLog = Files.readString(secondLog);
    assertFalse(
        restartLog.contains("unclean stop"),
        "a SIGTERM stop must leave a clean store; second start said:\n" + restartLog);

    Set<String> read = readEverything(topic);
    assertEquals(sent, read, "every acknowledged message is back after the restart");

    stopWithSigterm(second, secondLog);
    System.out.printf("standalone jar ready in %d ms (JVM uptime at the ready line)%n", readyMs);
  }

  private Process start(Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-jar", JAR.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Only the settings a user would have: no APOGEE_* overrides from the environment of the build.
    pb.environment().keySet().removeIf(k -> k.startsWith("APOGEE_"));
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private static long awaitReady(Process p, Path log) throws Exception {
    long[] ms = {-1};
    Clients.awaitTrue(
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError("exited with " + p.exitValue() + ":\n" + readQuietly(log));
          }
          Matcher m = READY.matcher(readQuietly(log));
          if (m.find()) {
            ms[0] = Long.parseLong(m.group(1));
            return true;
          }
          return false;
        },
        Duration.ofSeconds(60),
        () -> "no ready line:\n" + readQuietly(log));
    return ms[0];
  }

  private static void stopWithSigterm(Process p, Path log) throws Exception {
    p.destroy(); // SIGTERM on Linux and macOS
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "still running 90 s after SIGTERM");
    String out = readQuietly(log);
    // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
    assertEquals(143, p.exitValue(), "exit code after SIGTERM; output:\n" + out);
    assertTrue(out.contains("stopped in"), "the stop completed and said so:\n" + out);
    assertFalse(out.contains(" ERROR "), "no errors logged:\n" + out);
  }

  private static Set<String> readEverything(String topic) throws Exception {
    DefaultLitePullConsumer c = new DefaultLitePullConsumer("jar-reader");
    c.setNamesrvAddr(NAMESRV);
    c.setInstanceName(Clients.instanceName("jar-l"));
    c.setAutoCommit(false);
    c.start();
    Set<String> read = new HashSet<>();
    try {
      List<MessageQueue> queues = new ArrayList<>(c.fetchMessageQueues(topic));
      c.assign(queues);
      for (MessageQueue mq : queues) {
        c.seek(mq, 0);
      }
      Clients.awaitTrue(
          () -> {
            for (MessageExt m : c.poll(200)) {
              read.add(m.getMsgId());
            }
            return read.size() >= MESSAGES;
          },
          Duration.ofSeconds(60),
          () -> read.size() + " of " + MESSAGES + " read back");
    } finally {
      c.shutdown();
    }
    return read;
  }

  private static void assertPortFree(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      throw new AssertionError(
          "port " + port + " is in use: the standalone default needs it (stop what holds it)");
    } catch (IOException expected) {
      // nothing listens: free for the jar
    }
  }

  private static String readQuietly(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }
}
