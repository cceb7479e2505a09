package dev.apogee.store.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pre-sized file mapped read/write, named by the offset of its first byte in its log.
 *
 * <p>Threading: one writer thread appends (writes through {@link #writeView} then publishes with
 * {@link #setWrotePosition}); any thread may read bytes below {@link #wrotePosition()} (the
 * volatile write/read pair orders them) and may {@link #flush}. A reader that keeps a slice beyond
 * the current call must {@link #hold()} the file first and {@link #release()} it after: the mapping
 * is unmapped when the owner has {@link #destroy destroyed} it and the last holder has let go,
 * never earlier (touching an unmapped region would crash the JVM).
 */
public final class MappedFile {
  public static final int PAGE_SIZE = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(MappedFile.class);

  private final Path path;
  private final long fileFromOffset;
  private final int fileSize;
  private final MappedByteBuffer buffer;

  /** One reference belongs to the owner until {@link #destroy}; each holder adds one. */
  private final AtomicInteger refs = new AtomicInteger(1);

  private volatile boolean available = true;
  private volatile boolean unmapped;
  private volatile int wrotePosition;
  private volatile int flushedPosition;
  private volatile long lastStoreTimestamp;

  private MappedFile(Path path, long fileFromOffset, int fileSize, MappedByteBuffer buffer) {
    this.path = path;
    this.fileFromOffset = fileFromOffset;
    this.fileSize = fileSize;
    this.buffer = buffer;
  }

  /** Creates (or opens) {@code path} with exactly {@code fileSize} bytes and maps it. */
  public static MappedFile open(Path path, long fileFromOffset, int fileSize) {
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      long len = raf.length();
      if (len == 0) {
        raf.setLength(fileSize);
      } else if (len != fileSize) {
        throw new IllegalStateException(
            "file " + path + " has " + len + " bytes, expected " + fileSize);
      }
      MappedByteBuffer mb = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, fileSize);
      return new MappedFile(path, fileFromOffset, fileSize, mb);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map " + path, e);
    }
  }

  /** Names a file by its start offset: 20 digits, zero-padded. */
  public static String fileName(long offset) {
    return String.format("%020d", offset);
  }

  public Path path() {
    return path;
  }

  public long fileFromOffset() {
    return fileFromOffset;
  }

  public int fileSize() {
    return fileSize;
  }

  public int wrotePosition() {
    return wrotePosition;
  }

  /** Publishes bytes written below {@code pos} to readers. Writer thread only. */
  public void setWrotePosition(int pos) {
    this.wrotePosition = pos;
  }

  public int flushedPosition() {
    return flushedPosition;
  }

  public void setFlushedPosition(int pos) {
    this.flushedPosition = pos;
  }

  public boolean isFull() {
    return wrotePosition == fileSize;
  }

  public boolean isAvailable() {
    return available;
  }

  public long lastStoreTimestamp() {
    return lastStoreTimestamp;
  }

  public void setLastStoreTimestamp(long ts) {
    this.lastStoreTimestamp = ts;
  }

  /** A view of {@code [pos, pos+len)} for the writer to fill; no copy. */
  public ByteBuffer writeView(int pos, int len) {
    return buffer.slice(pos, len);
  }

  /** The whole mapping for absolute reads and writes by the owner (never change its position). */
  public ByteBuffer mapped() {
    return buffer;
  }

  /** A slice of written bytes; valid while the file is held (or owned). No copy. */
  public ByteBuffer slice(int pos, int len) {
    return buffer.slice(pos, len);
  }

  public int getInt(int pos) {
    return buffer.getInt(pos);
  }

  public long getLong(int pos) {
    return buffer.getLong(pos);
  }

  /** Takes a reader's reference; false when the file is being destroyed. */
  public boolean hold() {
    while (true) {
      int r = refs.get();
      if (r <= 0 || !available) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Returns a reader's reference; the last one out of a destroyed file unmaps it. */
  public void release() {
    if (refs.decrementAndGet() == 0) {
      unmapNow();
    }
  }

  /**
   * Forces written pages to disk when at least {@code leastPages} dirty pages wait (0 = always).
   * Returns the flushed position.
   */
  public int flush(int leastPages) {
    int wrote = wrotePosition;
    int flushed = flushedPosition;
    if (wrote <= flushed) {
      return flushed;
    }
    if (leastPages > 0 && (wrote / PAGE_SIZE - flushed / PAGE_SIZE) < leastPages) {
      return flushed;
    }
    if (hold()) {
      try {
        // Align the start down to a page: msync works on whole pages anyway.
        int from = flushed - (flushed % PAGE_SIZE);
        buffer.force(from, wrote - from);
        flushedPosition = wrote;
      } finally {
        release();
      }
    }
    return flushedPosition;
  }

  /** Forces the whole mapping (files written at scattered positions, such as the index). */
  public void forceAll() {
    if (hold()) {
      try {
        buffer.force();
      } finally {
        release();
      }
    }
  }

  /** Touches every page so later writes do not fault on allocation, then forces them. */
  public void warmUp() {
    for (int i = 0; i < fileSize; i += PAGE_SIZE) {
      buffer.put(i, (byte) 0);
    }
    buffer.force();
  }

  /**
   * Withdraws the file from readers, deletes it from the directory and unmaps it as soon as no
   * reader holds it. Returns true when the mapping is already released.
   */
  public boolean destroy() {
    if (available) {
      available = false;
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", path, e.toString());
      }
      release();
    }
    return unmapped;
  }

  /** Unmaps without deleting (clean shutdown). Returns true when the mapping is released. */
  public boolean close() {
    if (available) {
      available = false;
      release();
    }
    return unmapped;
  }

  public boolean isUnmapped() {
    return unmapped;
  }

  private void unmapNow() {
    synchronized (this) {
      if (!unmapped) {
        unmapped = true;
        Unmapper.unmap(buffer);
      }
    }
  }

  @Override
  public String toString() {
    return path.getFileName() + "[wrote=" + wrotePosition + ",flushed=" + flushedPosition + "]";
  }
}
