package dev.apogee.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Builds consume queues and the key index from the commit log on its own worker thread, woken after
 * appends; every {@code flushIntervalConsumeQueue} ms it flushes them and writes the checkpoint,
 * and follows retention (queue and index files below the log's minimum are deleted).
 */
final class IndexVerticle extends VerticleBase {
  private final MessageStore store;

  IndexVerticle(MessageStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    store.indexContext = context;
    vertx.setPeriodic(
        store.flushConfig.flushIntervalConsumeQueue(),
        t -> {
          store.dispatchNew();
          store.flushQueuesAndCheckpoint();
          store.followRetention();
        });
    return vertx
        .eventBus()
        .<Signal>localConsumer(store.dispatchAddress, m -> store.dispatchNew())
        .completion();
  }
}
