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
import java.nio.ByteBuffer;
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
 * {@code apogee bench e2e}: sends at a fixed {@code --rate} (ramped up over the first half of the
 * warm-up) while a push consumer of a new group receives, and reports the latency from send to
 * delivery (the send time travels in the body, so producer and consumer share this process's
 * clock).
 */
@Command(
    name = "e2e",
    description = "Send at a fixed rate and report the latency from send to delivery.")
public final class E2eBench implements Callable<Integer> {
  private static final long ASSIGNMENT_WAIT_MS = 60_000;
  private static final long DRAIN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  @Mixin ClientBenchOptions common;

  @Option(
      names = "--rate",
      defaultValue = "10000",
      description = "Messages per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Spec CommandSpec spec;

  /** Touched on the bench's context only. */
  private static final class Run {
    final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long startNanos;
    long measureFrom;
    long stopAt;
    long sent;
    long sentMeasured;
    long receivedMeasured;
    long errors;
    long intervalReceived;
    String firstError;
    final Promise<Void> done = Promise.promise();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    common.validate();
    if (rate < 1 || common.size < Long.BYTES) {
      err.println("--rate must be at least 1 and --size at least 8 (the send time travels in it)");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    ClusterAdmin probe = new ClusterAdmin(vertx, common.namesrv);
    Producer producer =
        Producer.create(
            vertx,
            new ProducerOptions()
                .setNameServerAddress(common.namesrv)
                .setProducerGroup("apogee-bench-producer"));
    PushConsumer consumer =
        PushConsumer.create(
            vertx,
            new PushConsumerOptions()
                .setNameServerAddress(common.namesrv)
                .setConsumerGroup("apogee-bench-e2e-" + System.currentTimeMillis())
                // Not LAST_OFFSET: a new group on a topic whose first message is still in memory
                // starts from the beginning (RocketMQ brokers answer so, and so does Apogee), and
                // the run would measure the drain of earlier runs' messages.
                .setConsumeFromWhere(ConsumeFromWhere.TIMESTAMP)
                .setConsumeTimestamp(System.currentTimeMillis()));
    try {
      probe
          .createTopic(common.topic, common.queues)
          .toCompletionStage()
          .toCompletableFuture()
          .get();
      Run run = new Run();
      Context ctx = vertx.getOrCreateContext();
      ctx.runOnContext(v -> start(vertx, producer, consumer, run, err));
      run.done.future().toCompletionStage().toCompletableFuture().get();
      ResultRow row =
          new ResultRow(
              "e2e, " + rate + "/s",
              run.receivedMeasured,
              common.duration,
              run.receivedMeasured * common.size,
              run.errors + (run.sentMeasured - run.receivedMeasured),
              run.latency);
      if (common.json) {
        out.println(
            String.format(
                Locale.ROOT,
                "{\"bench\":\"e2e\",\"rows\":[%s],\"sent\":%d,\"received\":%d}",
                row.json(),
                run.sentMeasured,
                run.receivedMeasured));
      } else {
        out.printf(
            Locale.ROOT,
            "%ne2e bench: topic %s, %d queues, %d-byte bodies, %d msg/s for %d s after %d s"
                + " warm-up; latency is send to delivery%n%n",
            common.topic,
            common.queues,
            common.size,
            rate,
            common.duration,
            common.warmup);
        ResultRow.printTable(out, List.of(row));
        out.printf(
            Locale.ROOT,
            "%nsent %d in the measured window, received %d%s%n",
            run.sentMeasured,
            run.receivedMeasured,
            run.firstError == null ? "" : "; first error: " + run.firstError);
        out.flush();
      }
      return run.sentMeasured == run.receivedMeasured ? 0 : 1;
    } finally {
      consumer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      producer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      probe.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private void start(
      Vertx vertx, Producer producer, PushConsumer consumer, Run run, PrintWriter err) {
    consumer
        .subscribe(common.topic, "*")
        .handler(
            m -> {
              long now = System.nanoTime();
              long sentAt = ByteBuffer.wrap(m.body()).getLong(0);
              if (sentAt >= run.measureFrom && sentAt < run.stopAt) {
                run.receivedMeasured++;
                run.latency.recordValue(
                    Math.min((now - sentAt) / 1000, run.latency.getHighestTrackableValue()));
              }
              run.intervalReceived++;
              return Future.succeededFuture();
            });
    long waitUntil = System.currentTimeMillis() + ASSIGNMENT_WAIT_MS;
    consumer
        .start()
        .onFailure(run.done::tryFail)
        .onSuccess(v -> awaitAssignment(vertx, producer, consumer, run, err, waitUntil));
  }

  // The group starts at the time it was created: sending before it holds its queues would lose
  // messages.
  private void awaitAssignment(
      Vertx vertx,
      Producer producer,
      PushConsumer consumer,
      Run run,
      PrintWriter err,
      long waitUntil) {
    if (consumer.assignment().size() >= common.queues) {
      produce(vertx, producer, run, err);
    } else if (System.currentTimeMillis() > waitUntil) {
      run.done.tryFail(
          new IllegalStateException(
              "the consumer holds "
                  + consumer.assignment().size()
                  + " of "
                  + common.queues
                  + " queues after "
                  + ASSIGNMENT_WAIT_MS
                  + " ms"));
    } else {
      vertx.setTimer(50, t -> awaitAssignment(vertx, producer, consumer, run, err, waitUntil));
    }
  }

  private void produce(Vertx vertx, Producer producer, Run run, PrintWriter err) {
    byte[] body = common.body();
    run.startNanos = System.nanoTime();
    run.measureFrom = run.startNanos + TimeUnit.SECONDS.toNanos(common.warmup);
    run.stopAt = run.measureFrom + TimeUnit.SECONDS.toNanos(common.duration);
    vertx.setPeriodic(
        1000,
        t -> {
          err.printf(
              Locale.ROOT,
              "[%3d s] received %d msg/s, errors %d%n",
              (System.nanoTime() - run.startNanos) / 1_000_000_000L,
              run.intervalReceived,
              run.errors);
          err.flush();
          run.intervalReceived = 0;
          if (run.done.future().isComplete()) {
            vertx.cancelTimer(t);
          }
        });
    // Every millisecond, send what the rate says is due by now.
    vertx.setPeriodic(
        1,
        t -> {
          long now = System.nanoTime();
          if (now >= run.stopAt) {
            vertx.cancelTimer(t);
            awaitDrain(vertx, run, now + DRAIN_WAIT_NANOS);
            return;
          }
          long due = due(now - run.startNanos);
          while (run.sent < due) {
            run.sent++;
            byte[] b = body.clone();
            long sentAt = System.nanoTime();
            ByteBuffer.wrap(b).putLong(0, sentAt);
            if (sentAt >= run.measureFrom) {
              run.sentMeasured++;
            }
            producer
                .send(new Message(common.topic, b))
                .onComplete(
                    ar -> {
                      if (ar.failed() || ar.result().status() != SendStatus.SEND_OK) {
                        run.errors++;
                        if (run.firstError == null) {
                          run.firstError =
                              ar.failed()
                                  ? ar.cause().toString()
                                  : "status " + ar.result().status();
                        }
                      }
                    });
          }
        });
  }

  /**
   * Messages due {@code elapsedNanos} after the start. The rate ramps up from a tenth to the full
   * rate over the first half of the warm-up, so that neither a fresh client JVM nor the broker
   * starts the measurement behind a backlog they built while still being compiled; from then on it
   * is the full rate.
   */
  long due(long elapsedNanos) {
    double t = elapsedNanos / 1e9;
    double ramp = common.warmup / 2.0;
    double seconds;
    if (ramp <= 0) {
      seconds = t;
    } else if (t < ramp) {
      seconds = 0.1 * t + 0.45 * t * t / ramp;
    } else {
      seconds = 0.55 * ramp + (t - ramp);
    }
    return (long) (seconds * rate);
  }

  private void awaitDrain(Vertx vertx, Run run, long deadline) {
    if (run.receivedMeasured >= run.sentMeasured - run.errors || System.nanoTime() > deadline) {
      run.done.tryComplete();
    } else {
      vertx.setTimer(20, t -> awaitDrain(vertx, run, deadline));
    }
  }
}
