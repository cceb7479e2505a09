package dev.apogee;

import dev.apogee.admin.DeadLetters;
import dev.apogee.client.ReceivedMessage;
import dev.apogee.client.SendResult;
import dev.apogee.gateway.MessageJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code apogee dlq list|resend}: a consumer group's dead letters, listed, and sent again to the
 * topic they failed on. Talks to any RocketMQ-protocol cluster through its name servers.
 */
@Command(
    name = "dlq",
    description = "A consumer group's dead letters (%DLQ%{group}).",
    subcommands = {DlqCommand.ListCommand.class, DlqCommand.ResendCommand.class})
final class DlqCommand implements Callable<Integer> {
  private static final long TIMEOUT_SECONDS = 60;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Launcher.EXIT_BAD_CONFIG;
  }

  /** Options both subcommands take. */
  static class Common {
    @Option(
        names = {"-n", "--namesrv"},
        defaultValue = "127.0.0.1:9876",
        description =
            "Name server address(es), host:port separated by ';' (default: ${DEFAULT-VALUE}).")
    String namesrv;

    @Option(
        names = {"-g", "--group"},
        required = true,
        description = "The consumer group.")
    String group;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    /** Runs {@code work} against a fresh Vert.x and a {@link DeadLetters}, then closes both. */
    <T> T run(Function<DeadLetters, Future<T>> work)
        throws InterruptedException, ExecutionException, TimeoutException {
      Vertx vertx = Vertx.vertx();
      DeadLetters dlq = new DeadLetters(vertx, namesrv);
      try {
        return work.apply(dlq)
            .toCompletionStage()
            .toCompletableFuture()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } finally {
        try {
          dlq.close()
              .toCompletionStage()
              .toCompletableFuture()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
          vertx
              .close()
              .toCompletionStage()
              .toCompletableFuture()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Command(name = "list", description = "List dead letters, oldest first.")
  static final class ListCommand extends Common implements Callable<Integer> {
    @Option(
        names = "--max",
        defaultValue = "100",
        description = "At most this many (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--json", description = "One JSON object per message.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (max < 1) {
        err.println("--max must be at least 1");
        return Launcher.EXIT_BAD_CONFIG;
      }
      List<ReceivedMessage> list;
      try {
        list = run(d -> d.list(group, max));
      } catch (ExecutionException e) {
        err.println("cannot list " + DeadLetters.topicOf(group) + ": " + e.getCause().getMessage());
        return Launcher.EXIT_START_FAILED;
      }
      for (ReceivedMessage m : list) {
        if (json) {
          out.println(MessageJson.of(m).encode());
        } else {
          out.printf(
              "%s  %s  from %s  reconsumed %d  %s  %s%n",
              m.msgId(),
              Instant.ofEpochMilli(m.storeTimestamp()),
              m.properties().getOrDefault(DeadLetters.RETRY_TOPIC, "?"),
              m.reconsumeTimes(),
              m.tags() == null ? "-" : m.tags(),
              preview(m.body()));
        }
      }
      if (!json) {
        out.println(list.size() + " dead letter(s) in " + DeadLetters.topicOf(group));
      }
      out.flush();
      return 0;
    }

    private static String preview(byte[] body) {
      String s = new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8);
      return s.replaceAll("\\p{Cntrl}", "?") + (body.length > 60 ? "..." : "");
    }
  }

  @Command(name = "resend", description = "Send dead letters again to the topic they failed on.")
  static final class ResendCommand extends Common implements Callable<Integer> {
    @Option(
        names = "--msg-id",
        required = true,
        description = "The message id of a dead letter; may be repeated.")
    List<String> msgIds;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int failed = 0;
      for (String id : msgIds) {
        try {
          SendResult r = run(d -> d.resend(group, id));
          out.printf(
              "%s resent to %s queue %d offset %d (%s)%n",
              id, r.queue().topic(), r.queue().queueId(), r.queueOffset(), r.status());
        } catch (ExecutionException e) {
          failed++;
          err.println("cannot resend " + id + ": " + e.getCause().getMessage());
        }
      }
      out.flush();
      return failed == 0 ? 0 : Launcher.EXIT_START_FAILED;
    }
  }
}
