package dev.apogee.bus;

/**
 * Every event-bus address, named {@code apogee.<area>.<verb>}. Addresses of a store carry its
 * instance id as a suffix so several stores (tests, broker pairs) can share one Vert.x.
 */
public final class Addresses {
  private Addresses() {}

  /** Wakes the store verticle to drain queued appends. */
  public static final String STORE_APPEND = "apogee.store.append";

  /** Wakes the flush verticle: appends wait for their fsync (group commit). */
  public static final String STORE_FLUSH = "apogee.store.flush";

  /** Wakes the index verticle to dispatch newly appended records. */
  public static final String STORE_DISPATCH = "apogee.store.dispatch";

  /** {@code base} for the store instance {@code id}. */
  public static String of(String base, int id) {
    return base + "." + id;
  }
}
