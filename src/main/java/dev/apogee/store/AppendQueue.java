package dev.apogee.store;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Many producers (event loops putting messages), one consumer (the store thread): an intrusive
 * linked queue where offering is one atomic swap and polling takes no lock. A node offered but not
 * yet linked is simply seen on the next poll; the wake-up protocol in {@link MessageStore}
 * guarantees that next poll happens.
 */
final class AppendQueue {
  private final AtomicReference<PendingAppend> tail;
  private PendingAppend head;

  AppendQueue() {
    PendingAppend stub = new PendingAppend(null, null, null);
    head = stub;
    tail = new AtomicReference<>(stub);
  }

  void offer(PendingAppend p) {
    PendingAppend prev = tail.getAndSet(p);
    prev.next = p;
  }

  /** True when a linked node waits. Consumer only. */
  boolean hasNext() {
    return head.next != null;
  }

  /** The oldest node, or null. Consumer only. */
  PendingAppend poll() {
    PendingAppend old = head;
    PendingAppend next = old.next;
    if (next == null) {
      return null;
    }
    head = next;
    // The old head is no longer the tail, so no producer writes to it again: unlink it, so a
    // node kept elsewhere (a reply in flight) does not keep every later node reachable.
    old.next = null;
    return next;
  }
}
