package dev.apogee.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The single writer of the commit log: an ordered worker woken over the bus to drain every queued
 * append in one pass (so one hand-off carries many appends under load).
 */
final class StoreVerticle extends VerticleBase {
  private static final int DRAIN_BATCH = 8192;
  private final MessageStore store;

  StoreVerticle(MessageStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    store.storeContext = context;
    return vertx
        .eventBus()
        .<Signal>localConsumer(store.appendAddress, m -> store.drainAppends(DRAIN_BATCH))
        .completion();
  }
}
