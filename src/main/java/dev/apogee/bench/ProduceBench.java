package dev.apogee.bench;

import dev.apogee.client.Message;
import dev.apogee.client.Producer;
import dev.apogee.client.ProducerOptions;
import dev.apogee.client.SendStatus;
import dev.apogee.gateway.ClusterAdmin;
import io.vertx.core.Context;
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
 * {@code apogee bench produce}: sends through the reactive client to any RocketMQ-protocol broker.
 * {@code sync}: {@code --threads} senders, each waiting for its answer before the next send; {@code
 * async}: {@code --inflight} sends outstanding at all times; {@code oneway}: sends without answers,
 * {@code --inflight} socket writes outstanding. Reports throughput, latency and errors, and checks
 * that the brokers hold at least every acknowledged message (sum of queue max offsets).
 */
@Command(
    name = "produce",
    description = "Send messages through the reactive client and report throughput and latency.")
public final class ProduceBench implements Callable<Integer> {
  @Mixin ClientBenchOptions common;

  @Option(
      names = "--mode",
      defaultValue = "sync",
      description = "sync, async or oneway (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--threads",
      defaultValue = "8",
      description = "Senders of the sync mode (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--inflight",
      defaultValue = "1024",
      description = "Outstanding sends of the async and oneway modes (default: ${DEFAULT-VALUE}).")
  int inflight;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Messages per second at most; 0: as fast as possible (default).")
  int rate;

  @Spec CommandSpec spec;

  /** State of one run; touched on the bench's context only. */
  private static final class Run {
    final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long startNanos;
    long measureFrom;
    long stopAt;
    long sentTotal;
    long acked;
    long errors;
    long measured;
    long measuredErrors;
    long intervalCount;
    int lanesLeft;
    String firstError;
    final Promise<Void> done = Promise.promise();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    common.validate();
    int lanes;
    switch (mode) {
      case "sync" -> lanes = threads;
      case "async", "oneway" -> lanes = inflight;
      default -> {
        err.println("unknown --mode " + mode + ": sync, async or oneway");
        return 2;
      }
    }
    if (lanes < 1 || rate < 0) {
      err.println("--threads and --inflight must be at least 1, --rate at least 0");
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
    try {
      await(probe.createTopic(common.topic, common.queues).toCompletionStage());
      long before = await(probe.totalMaxOffset(common.topic, common.queues).toCompletionStage());
      byte[] body = common.body();
      Run run = new Run();
      Context ctx = vertx.getOrCreateContext();
      ctx.runOnContext(v -> startLanes(vertx, producer, body, run, lanes, err));
      run.done.future().toCompletionStage().toCompletableFuture().get();
      long after = storedAfter(probe, before, run.acked);
      ResultRow row =
          new ResultRow(
              label(lanes),
              run.measured,
              common.duration,
              run.measured * (long) common.size,
              run.measuredErrors,
              run.latency);
      long stored = after - before;
      boolean allStored = mode.equals("oneway") || stored >= run.acked;
      if (common.json) {
        out.println(
            String.format(
                Locale.ROOT,
                "{\"bench\":\"produce\",\"rows\":[%s],\"acked\":%d,\"stored\":%d,\"allStored\":%s,"
                    + "\"bodyBytes\":%d,\"queues\":%d}",
                row.json(),
                run.acked,
                stored,
                allStored,
                common.size,
                common.queues));
      } else {
        out.printf(
            Locale.ROOT,
            "%nproduce bench: topic %s, %d queues, %d-byte bodies, %d s measured after %d s"
                + " warm-up%n%n",
            common.topic,
            common.queues,
            common.size,
            common.duration,
            common.warmup);
        ResultRow.printTable(out, List.of(row));
        out.printf(
            Locale.ROOT,
            "%nstored check: %d acknowledged, queue max offsets grew by %d: %s%n",
            run.acked,
            stored,
            mode.equals("oneway")
                ? "not applicable to oneway sends"
                : allStored ? "every acknowledged message is stored" : "MISSING MESSAGES");
        if (run.firstError != null) {
          out.println("first error: " + run.firstError);
        }
        out.flush();
      }
      return allStored ? 0 : 1;
    } finally {
      producer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      probe.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private String label(int lanes) {
    String what =
        switch (mode) {
          case "sync" -> lanes + " senders";
          case "async" -> lanes + " in flight";
          default -> lanes + " writes in flight";
        };
    return mode + ", " + what + (rate > 0 ? ", " + rate + "/s" : "");
  }

  private void startLanes(
      Vertx vertx, Producer producer, byte[] body, Run run, int lanes, PrintWriter err) {
    run.startNanos = System.nanoTime();
    run.measureFrom = run.startNanos + TimeUnit.SECONDS.toNanos(common.warmup);
    run.stopAt = run.measureFrom + TimeUnit.SECONDS.toNanos(common.duration);
    run.lanesLeft = lanes;
    long timer =
        vertx.setPeriodic(
            1000,
            t -> {
              long elapsed = (System.nanoTime() - run.startNanos) / 1_000_000_000L;
              err.printf(
                  Locale.ROOT,
                  "[%3d s] %s %d msg/s, errors %d%n",
                  elapsed,
                  System.nanoTime() < run.measureFrom ? "warm-up" : "measure",
                  run.intervalCount,
                  run.errors);
              err.flush();
              run.intervalCount = 0;
            });
    run.done.future().onComplete(ar -> vertx.cancelTimer(timer));
    for (int i = 0; i < lanes; i++) {
      next(vertx, producer, body, run);
    }
  }

  private void next(Vertx vertx, Producer producer, byte[] body, Run run) {
    long now = System.nanoTime();
    if (now >= run.stopAt) {
      if (--run.lanesLeft == 0) {
        run.done.complete();
      }
      return;
    }
    if (rate > 0) {
      long due = run.startNanos + run.sentTotal * 1_000_000_000L / rate;
      if (due > now) {
        long ms = Math.max(1, (due - now) / 1_000_000);
        vertx.setTimer(ms, t -> next(vertx, producer, body, run));
        return;
      }
    }
    run.sentTotal++;
    Message m = new Message(common.topic, body);
    long t0 = System.nanoTime();
    if (mode.equals("oneway")) {
      producer
          .sendOneway(m)
          .onComplete(
              ar -> {
                finish(run, t0, ar.succeeded(), ar.cause());
                next(vertx, producer, body, run);
              });
    } else {
      producer
          .send(m)
          .onComplete(
              ar -> {
                boolean ok = ar.succeeded() && ar.result().status() == SendStatus.SEND_OK;
                if (ok) {
                  run.acked++;
                }
                finish(
                    run,
                    t0,
                    ok,
                    ar.failed()
                        ? ar.cause()
                        : ok ? null : new IllegalStateException("status " + ar.result().status()));
                next(vertx, producer, body, run);
              });
    }
  }

  private static void finish(Run run, long t0, boolean ok, Throwable cause) {
    long t1 = System.nanoTime();
    boolean measuring = t0 >= run.measureFrom && t1 <= run.stopAt;
    if (ok) {
      run.intervalCount++;
      if (measuring) {
        run.measured++;
        run.latency.recordValue(Math.min((t1 - t0) / 1000, run.latency.getHighestTrackableValue()));
      }
    } else {
      run.errors++;
      if (measuring) {
        run.measuredErrors++;
      }
      if (run.firstError == null && cause != null) {
        run.firstError = cause.toString();
      }
    }
  }

  /**
   * The topic's total max offset once the brokers have indexed every acknowledged message: a broker
   * answers a send before its consume queue holds it, so the offsets may lag the last answers for a
   * moment. Gives up (and reports what it saw) after 10 s without progress.
   */
  private long storedAfter(ClusterAdmin probe, long before, long acked) throws Exception {
    long last = -1;
    long stalledSince = System.nanoTime();
    while (true) {
      long now = await(probe.totalMaxOffset(common.topic, common.queues).toCompletionStage());
      if (now - before >= acked) {
        return now;
      }
      if (now != last) {
        last = now;
        stalledSince = System.nanoTime();
      } else if (System.nanoTime() - stalledSince > TimeUnit.SECONDS.toNanos(10)) {
        return now;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
