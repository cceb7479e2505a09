package dev.apogee.protocol;

/**
 * The permission bits of a topic's queues and of a broker ({@code perm}, rocketmq-protocol.md 2.2).
 * A normal topic is {@code READ | WRITE} (6); the auto-create template {@code TBW102} is {@code
 * INHERIT | READ | WRITE} (7). Constants only; no state.
 */
public final class Perm {
  /** 0x8: the queue is preferred. */
  public static final int PRIORITY = 0x8;

  /** 0x4: consumers may read. */
  public static final int READ = 0x4;

  /** 0x2: producers may write. */
  public static final int WRITE = 0x2;

  /** 0x1: a new topic may take this one as its template. */
  public static final int INHERIT = 0x1;

  private Perm() {}

  public static boolean isReadable(int perm) {
    return (perm & READ) == READ;
  }

  public static boolean isWriteable(int perm) {
    return (perm & WRITE) == WRITE;
  }

  public static boolean isInherited(int perm) {
    return (perm & INHERIT) == INHERIT;
  }
}
