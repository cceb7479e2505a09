package dev.apogee.remoting;

import io.netty.util.collection.IntObjectHashMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The requests one connection has sent and awaits answers to, by opaque (protocol 1.7). The opaque
 * counter is per connection, starts at 0 and wraps; a value still awaiting its answer is skipped.
 *
 * <p>Not thread-safe: confined to the connection's event loop, where its timers also fire.
 */
final class InvocationTable {
  private record Pending(Promise<RemotingCommand> promise, long timerId, int code) {}

  private final Vertx vertx;
  private final String remoteAddress;
  // Keyed by slot(opaque), not the opaque itself: the map places an int key at key & mask, so
  // consecutive opaques would fill one contiguous run, and each removal in its linear probing
  // scans the whole run: thousands of requests in flight made every answer cost thousands of steps.
  private final IntObjectHashMap<Pending> pending = new IntObjectHashMap<>();
  private int nextOpaque;

  InvocationTable(Vertx vertx, String remoteAddress) {
    this.vertx = vertx;
    this.remoteAddress = remoteAddress;
  }

  /**
   * Spreads consecutive opaques over the table: multiplying by an odd constant is a bijection on
   * int, so distinct opaques keep distinct keys.
   */
  static int slot(int opaque) {
    return opaque * 0x9E3779B9;
  }

  /** The next free opaque, for a request that expects no answer. */
  int nextOpaque() {
    int opaque;
    do {
      opaque = nextOpaque++;
    } while (pending.containsKey(slot(opaque)));
    return opaque;
  }

  /** Registers a request awaiting its answer; returns its opaque. Fails it after the timeout. */
  int register(Promise<RemotingCommand> promise, int code, long timeoutMillis) {
    int opaque = nextOpaque();
    long timer =
        vertx.setTimer(
            Math.max(1, timeoutMillis),
            id -> {
              Pending p = pending.remove(slot(opaque));
              if (p != null) {
                p.promise.tryFail(
                    new RemotingTimeoutException(
                        "no response to request code "
                            + code
                            + " opaque "
                            + opaque
                            + " from "
                            + remoteAddress
                            + " within "
                            + timeoutMillis
                            + " ms"));
              }
            });
    pending.put(slot(opaque), new Pending(promise, timer, code));
    return opaque;
  }

  /** Completes the invocation {@code response} answers; false when none awaits it. */
  boolean complete(RemotingCommand response) {
    Pending p = pending.remove(slot(response.opaque()));
    if (p == null) {
      return false;
    }
    vertx.cancelTimer(p.timerId);
    if (!p.promise.tryComplete(response)) {
      response.release();
    }
    return true;
  }

  /** Fails one invocation, e.g. when its request could not be written. */
  void fail(int opaque, Throwable cause) {
    Pending p = pending.remove(slot(opaque));
    if (p != null) {
      vertx.cancelTimer(p.timerId);
      p.promise.tryFail(cause);
    }
  }

  /** Fails every invocation still waiting: the connection is gone. */
  void failAll(String reason) {
    for (Pending p : pending.values()) {
      vertx.cancelTimer(p.timerId);
      p.promise.tryFail(
          new RemotingException(
              "connection to "
                  + remoteAddress
                  + " "
                  + reason
                  + " before request code "
                  + p.code
                  + " was answered"));
    }
    pending.clear();
  }

  int size() {
    return pending.size();
  }
}
