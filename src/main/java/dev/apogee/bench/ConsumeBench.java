package dev.apogee.bench;

import dev.apogee.client.ConsumeFromWhere;
import dev.apogee.client.Message;
import dev.apogee.client.Producer;
import dev.apogee.client.ProducerOptions;
import dev.apogee.client.PushConsumer;
import dev.apogee.client.PushConsumerOptions;
import dev.apogee.client.SendStatus;
import dev.apogee.gateway.ClusterAdmin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code apogee bench consume}: drains a backlog of {@code --messages} with a push consumer of a
 * new group reading from the first offset, after topping the topic up to that many messages if it
 * holds fewer. Reports the drain rate.
 */
@Command(
    name = "consume",
    description = "Drain a backlog with a push consumer of a new group and report the rate.")
public final class ConsumeBench implements Callable<Integer> {
  @Mixin ClientBenchOptions common;

  @Option(
      names = "--messages",
      defaultValue = "1000000",
      description = "Backlog to drain (default: ${DEFAULT-VALUE}).")
  long messages;

  @Option(
      names = "--inflight",
      defaultValue = "1024",
      description = "Outstanding sends while filling the backlog (default: ${DEFAULT-VALUE}).")
  int inflight;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    common.validate();
    if (messages < 1 || inflight < 1) {
      err.println("--messages and --inflight must be at least 1");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    ClusterAdmin probe = new ClusterAdmin(vertx, common.namesrv);
    try {
      probe
          .createTopic(common.topic, common.queues)
          .toCompletionStage()
          .toCompletableFuture()
          .get();
      long have =
          probe
              .totalMaxOffset(common.topic, common.queues)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      if (have < messages) {
        err.printf(Locale.ROOT, "filling the backlog: %d messages%n", messages - have);
        err.flush();
        fill(vertx, messages - have, err);
      }
      PushConsumer consumer =
          PushConsumer.create(
              vertx,
              new PushConsumerOptions()
                  .setNameServerAddress(common.namesrv)
                  .setConsumerGroup("apogee-bench-drain-" + System.currentTimeMillis())
                  .setConsumeFromWhere(ConsumeFromWhere.FIRST_OFFSET));
      long[] received = {0};
      long[] interval = {0};
      Promise<Long> done = Promise.promise();
      Context ctx = vertx.getOrCreateContext();
      long[] start = {0};
      ctx.runOnContext(
          v -> {
            consumer
                .subscribe(common.topic, "*")
                .handler(
                    m -> {
                      received[0]++;
                      interval[0]++;
                      if (received[0] == messages) {
                        done.tryComplete(System.nanoTime());
                      }
                      return Future.succeededFuture();
                    });
            start[0] = System.nanoTime();
            consumer.start().onFailure(done::tryFail);
            vertx.setPeriodic(
                1000,
                t -> {
                  err.printf(
                      Locale.ROOT,
                      "[drain] %d msg/s, %d of %d%n",
                      interval[0],
                      received[0],
                      messages);
                  err.flush();
                  interval[0] = 0;
                  if (done.future().isComplete()) {
                    vertx.cancelTimer(t);
                  }
                });
          });
      long end = done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      double seconds = (end - start[0]) / 1e9;
      consumer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      ResultRow row =
          new ResultRow(
              "drain " + messages, messages, seconds, messages * common.size, 0, new Histogram(3));
      if (common.json) {
        out.println("{\"bench\":\"consume\",\"rows\":[" + row.json() + "]}");
      } else {
        out.printf(
            Locale.ROOT,
            "%nconsume bench: topic %s, %d queues, %d-byte bodies, drained from the first offset%n%n",
            common.topic,
            common.queues,
            common.size);
        ResultRow.printTable(out, List.of(row));
      }
      out.flush();
      return 0;
    } finally {
      probe.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Sends {@code n} messages with {@link #inflight} outstanding; fails on the first refusal. */
  private void fill(Vertx vertx, long n, PrintWriter err) throws Exception {
    Producer producer =
        Producer.create(
            vertx,
            new ProducerOptions()
                .setNameServerAddress(common.namesrv)
                .setProducerGroup("apogee-bench-producer"));
    try {
      byte[] body = common.body();
      Promise<Void> done = Promise.promise();
      long[] sent = {0};
      long[] acked = {0};
      Context ctx = vertx.getOrCreateContext();
      ctx.runOnContext(
          v -> {
            for (int i = 0; i < inflight && sent[0] < n; i++) {
              sendOne(producer, body, n, sent, acked, done);
            }
          });
      done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      err.printf(Locale.ROOT, "backlog filled: %d messages%n", acked[0]);
      err.flush();
    } finally {
      producer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private void sendOne(
      Producer producer, byte[] body, long n, long[] sent, long[] acked, Promise<Void> done) {
    sent[0]++;
    producer
        .send(new Message(common.topic, body))
        .onComplete(
            ar -> {
              if (ar.failed() || ar.result().status() != SendStatus.SEND_OK) {
                done.tryFail(
                    ar.failed()
                        ? ar.cause()
                        : new IllegalStateException("send status " + ar.result().status()));
                return;
              }
              if (++acked[0] == n) {
                done.tryComplete();
              } else if (sent[0] < n) {
                sendOne(producer, body, n, sent, acked, done);
              }
            });
  }
}
