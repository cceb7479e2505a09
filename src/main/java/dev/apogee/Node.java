package dev.apogee;

import dev.apogee.config.ApogeeConfig;
import dev.apogee.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The services of one Apogee process, started in order and stopped in reverse. In this build that
 * is the message store alone. Call {@link #stop()} once, from any thread; the returned future
 * completes on a Vert.x thread.
 */
public final class Node {
  private final MessageStore store;

  private Node(MessageStore store) {
    this.store = store;
  }

  /** Opens the store (recovering it if needed); fails with the first service that fails. */
  public static Future<Node> start(Vertx vertx, ApogeeConfig config) {
    return MessageStore.open(vertx, config.store(), config.flush()).map(Node::new);
  }

  /** Stops the services in reverse order of start; completes when the store is closed. */
  public Future<Void> stop() {
    return store.close();
  }
}
