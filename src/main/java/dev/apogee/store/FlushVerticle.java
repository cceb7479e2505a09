package dev.apogee.store;

import dev.apogee.config.FlushConfig;
import dev.apogee.config.FlushDiskType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Makes the commit log durable on its own worker thread. ASYNC_FLUSH: every {@code
 * flushIntervalCommitLog} ms once enough pages are dirty (all of them after {@code
 * flushCommitLogThoroughInterval}). SYNC_FLUSH: group commit, where the fsync runs after every
 * group-commit message already queued has been taken in, so one fsync answers all of them.
 */
final class FlushVerticle extends VerticleBase {
  private final MessageStore store;
  private boolean commitScheduled;
  private long lastThorough;

  FlushVerticle(MessageStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    store.flushContext = context;
    FlushConfig cfg = store.flushConfig;
    lastThorough = System.currentTimeMillis();
    vertx.setPeriodic(cfg.flushIntervalCommitLog(), t -> periodicFlush(cfg));
    if (cfg.flushDiskType() == FlushDiskType.SYNC_FLUSH) {
      return vertx
          .eventBus()
          .<Signal>localConsumer(store.flushAddress, m -> scheduleCommit())
          .completion();
    }
    return Future.succeededFuture();
  }

  private void scheduleCommit() {
    if (!commitScheduled) {
      commitScheduled = true;
      // Queued behind the group-commit messages already waiting: they are absorbed first.
      context.runOnContext(
          v -> {
            commitScheduled = false;
            store.groupCommit();
          });
    }
  }

  private void periodicFlush(FlushConfig cfg) {
    long now = System.currentTimeMillis();
    int least = cfg.flushCommitLogLeastPages();
    if (now - lastThorough >= cfg.flushCommitLogThoroughInterval()) {
      lastThorough = now;
      least = 0;
    }
    store.flushCommitLog(least);
    if (cfg.flushDiskType() == FlushDiskType.SYNC_FLUSH) {
      store.groupCommit();
    }
  }
}
