package dev.apogee;

import dev.apogee.config.ApogeeConfig;
import dev.apogee.config.ConfigException;
import dev.apogee.config.ConfigLoader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Node} in this process: loads the settings, creates Vert.x, starts the node, and
 * blocks the calling thread until a shutdown hook (SIGTERM, Ctrl-C) has stopped it.
 */
final class Launcher {
  static final int EXIT_OK = 0;
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_BAD_CONFIG = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  // Bounds the shutdown hook: a store that cannot finish its flush in this time is stuck, and a
  // process that never exits is worse than one that exits after saying so.
  private static final long STOP_TIMEOUT_SECONDS = 60;

  private Launcher() {}

  /** Runs the node described by {@code file} (null: defaults); returns the exit code. */
  static int run(ConfigLoader.Role role, Path file) {
    LOG.info(
        "starting Apogee {} ({}, settings from {})",
        Apogee.version(),
        role.name().toLowerCase(Locale.ROOT),
        file == null ? "defaults" : file);
    ConfigLoader.Loaded loaded;
    try {
      loaded = ConfigLoader.load(role, file, System.getenv());
    } catch (ConfigException e) {
      LOG.error("bad configuration: {}", e.getMessage());
      return EXIT_BAD_CONFIG;
    }
    loaded.warnings().forEach(LOG::warn);
    return runNode(role, loaded.config());
  }

  private static int runNode(ConfigLoader.Role role, ApogeeConfig config) {
    Vertx vertx = newVertx(config.gateway().gatewayEnable() && role != ConfigLoader.Role.NAMESRV);
    Future<Node> started = startNode(vertx, role, config);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop(vertx, started);
              stopped.countDown();
            },
            "apogee-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      started.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      LOG.error("start failed: {}", describe(e.getCause()));
      LOG.debug("start failure", e.getCause());
      if (removeHook(hook)) {
        awaitQuietly(vertx.close(), "closing Vert.x");
      }
      return EXIT_START_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_START_FAILED;
    }
    // Counted from JVM start: the time a user waits, class loading included.
    LOG.info(
        "{} in {} ms: {}{}",
        started.result().registered() ? "ready" : "started (not yet registered)",
        ManagementFactory.getRuntimeMXBean().getUptime(),
        started.result().describe(),
        role == ConfigLoader.Role.NAMESRV || role == ConfigLoader.Role.GATEWAY
            ? ""
            : ", data in " + config.store().storePathRootDir().toAbsolutePath().normalize());
    ClassPreloader.Result preload = ClassPreloader.result();
    LOG.debug("{}", preload == null ? "class preloading off or still running" : preload);
    bindJvmMetrics();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return EXIT_OK;
  }

  /**
   * Adds the JVM's series (memory, GC, threads, classes, CPU, uptime) to the Prometheus registry,
   * on a spare thread after start: the same set Vert.x binds with its JVM metrics option.
   */
  private static void bindJvmMetrics() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                new ClassLoaderMetrics().bindTo(registry);
                new JvmMemoryMetrics().bindTo(registry);
                new JvmGcMetrics().bindTo(registry);
                new JvmThreadMetrics().bindTo(registry);
                new ProcessorMetrics().bindTo(registry);
                new UptimeMetrics().bindTo(registry);
              } catch (RuntimeException e) {
                LOG.warn("JVM metrics unavailable: {}", e.toString());
              }
            },
            "apogee-jvm-metrics");
    t.setDaemon(true);
    t.start();
  }

  private static Future<Node> startNode(Vertx vertx, ConfigLoader.Role role, ApogeeConfig config) {
    try {
      return Node.start(vertx, role, config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  static Vertx newVertx(boolean metrics) {
    VertxOptions options =
        new VertxOptions()
            // The JDK transport everywhere: one behaviour on every machine, no native library.
            .setPreferNativeTransport(false)
            // Nothing is served from the class path: without the resolver Vert.x neither creates
            // a .vertx cache directory in the working directory nor seeds a SecureRandom for it.
            .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false))
            // An event loop busy for 1 s stalls every connection on it: warn then, and add the
            // stack after 3 s to show where it is stuck.
            .setBlockedThreadCheckInterval(1)
            .setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS)
            .setMaxEventLoopExecuteTime(1)
            .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
            .setWarningExceptionTime(3)
            .setWarningExceptionTimeUnit(TimeUnit.SECONDS);
    if (metrics) {
      // Vert.x's own server, event-bus and JVM series, in the Prometheus registry GET /metrics
      // reads; the broker's series join them there.
      options.setMetricsOptions(
          new MicrometerMetricsOptions()
              .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
              // The JVM's series are bound once the node is ready (bindJvmMetrics): their MBean
              // look-ups would otherwise lengthen the start.
              .setJvmMetricsEnabled(false)
              .setEnabled(true));
    }
    Vertx vertx = Vertx.vertx(options);
    vertx.exceptionHandler(t -> LOG.error("unexpected error on a Vert.x thread", t));
    return vertx;
  }

  private static void stop(Vertx vertx, Future<Node> started) {
    LOG.info("stopping");
    long startNanos = System.nanoTime();
    Future<Void> done =
        started
            .transform(ar -> ar.succeeded() ? ar.result().stop() : Future.<Void>succeededFuture())
            .eventually(vertx::close);
    if (awaitQuietly(done, "stopping")) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      LOG.info("stopped in {} ms", ms);
    }
  }

  // False when start-up already raced with a JVM shutdown: the hook then closes everything.
  private static boolean removeHook(Thread hook) {
    try {
      return Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  private static boolean awaitQuietly(Future<?> future, String what) {
    try {
      future.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      LOG.error("{} failed: {}", what, describe(e.getCause()));
      LOG.debug("{} failure", what, e.getCause());
    } catch (TimeoutException e) {
      LOG.error("{} did not finish within {} s", what, STOP_TIMEOUT_SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("{} interrupted", what);
    }
    return false;
  }

  private static String describe(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
