package dev.apogee.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code checkpoint} file: how far each part of the store is known to be durable, so recovery
 * after a crash starts there instead of at the beginning (protocol doc 4.4). The first six longs
 * are RocketMQ's (store times of the last flushed commit log, queue and index records, master
 * flushed offset, confirmed commit log offset, flushed dispatch offset); Apogee adds the commit log
 * offset up to which the key index is flushed at byte 48.
 *
 * <p>Written by one thread (the flusher); {@link #write} forces the page to disk.
 */
public final class Checkpoint {
  private static final int SIZE = 4096;

  /** Durable positions, all commit log offsets except the timestamps. */
  public record State(
      long physicMsgTimestamp,
      long logicsMsgTimestamp,
      long indexMsgTimestamp,
      long confirmPhyOffset,
      long logicsPhyOffset,
      long indexPhyOffset) {
    /** Where a crash recovery must start re-checking the commit log. */
    public long safeOffset() {
      return Math.min(confirmPhyOffset, Math.min(logicsPhyOffset, indexPhyOffset));
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer page = ByteBuffer.allocateDirect(SIZE);

  public Checkpoint(Path path) {
    this.path = path;
    try {
      this.channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + path, e);
    }
  }

  /** The saved state, or null when the file is new or too short. */
  public State read() {
    try {
      if (Files.size(path) < 56) {
        return null;
      }
      ByteBuffer b = ByteBuffer.allocate(56);
      channel.read(b, 0);
      b.flip();
      long physic = b.getLong(0);
      long logics = b.getLong(8);
      long index = b.getLong(16);
      long confirm = b.getLong(32);
      long logicsPhy = b.getLong(40);
      long indexPhy = b.getLong(48);
      return new State(physic, logics, index, confirm, logicsPhy, indexPhy);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Saves {@code s} and forces it to disk. */
  public void write(State s) {
    page.clear();
    page.putLong(0, s.physicMsgTimestamp());
    page.putLong(8, s.logicsMsgTimestamp());
    page.putLong(16, s.indexMsgTimestamp());
    page.putLong(24, 0);
    page.putLong(32, s.confirmPhyOffset());
    page.putLong(40, s.logicsPhyOffset());
    page.putLong(48, s.indexPhyOffset());
    page.limit(SIZE);
    try {
      int written = 0;
      while (written < SIZE) {
        written += channel.write(page, written);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path, e);
    }
  }
}
