package dev.apogee.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Retention and the disk watch, on their own worker: every {@code cleanResourceInterval} ms it
 * reads the disk use (refusing appends when nearly full) and deletes expired commit log files.
 */
final class CleanVerticle extends VerticleBase {
  private final MessageStore store;
  private final Retention retention;

  CleanVerticle(MessageStore store) {
    this.store = store;
    this.retention = new Retention(store.config, store.commitLog, store.clock);
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(
        store.config.cleanResourceInterval(),
        t -> {
          double ratio = store.diskGuard.check();
          retention.run(ratio);
        });
    return Future.succeededFuture();
  }
}
