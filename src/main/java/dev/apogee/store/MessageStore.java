package dev.apogee.store;

import dev.apogee.config.FlushConfig;
import dev.apogee.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The message store facade (being built). */
public final class MessageStore {
  private MessageStore() {}

  /** Opens (recovering if needed) the store under the configured root and deploys its verticles. */
  public static Future<MessageStore> open(Vertx vertx, StoreConfig store, FlushConfig flush) {
    return Future.failedFuture(new IllegalStateException("store not built yet"));
  }

  /** Stops taking appends, drains, flushes, checkpoints and removes the abort marker. */
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
