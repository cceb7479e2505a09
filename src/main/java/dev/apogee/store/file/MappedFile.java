package dev.apogee.store.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

  /** Suffix of a file being made; such files are deleted at load. */
  public static final String TMP_SUFFIX = ".tmp";

  private static final Logger LOG = LoggerFactory.getLogger(MappedFile.class);

  private final Path path;
  private final long fileFromOffset;
  private final int fileSize;
  private final MappedByteBuffer buffer;

  /** One reference belongs to the owner until {@link #destroy}; each holder adds one. */
  private final AtomicInteger refs = new AtomicInteger(1);

  /** Open only for files written through the channel (the commit log); null otherwise. */
  private FileChannel channel;

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
    return open(path, fileFromOffset, fileSize, false);
  }

  /**
   * Creates (or opens) {@code path} with exactly {@code fileSize} bytes and maps it. With {@code
   * allocate}, a new file is written with zeros and synced first, so its blocks exist on disk: an
   * fsync after a write into it then carries data only, not the block allocation too (and a full
   * disk shows up here, not as a fault inside the mapping).
   */
  public static MappedFile open(Path path, long fileFromOffset, int fileSize, boolean allocate) {
    try {
      if (!Files.exists(path)) {
        // Made under a temporary name and renamed when complete: a crash mid-way leaves no
        // short file under a real name.
        Path tmp = path.resolveSibling(path.getFileName() + TMP_SUFFIX);
        try (RandomAccessFile raf = new RandomAccessFile(tmp.toFile(), "rw")) {
          raf.setLength(0);
          if (allocate) {
            writeZeros(raf.getChannel(), fileSize);
          } else {
            raf.setLength(fileSize);
          }
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
      }
      try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
        long len = raf.length();
        if (len != fileSize) {
          throw new IllegalStateException(
              "file " + path + " has " + len + " bytes, expected " + fileSize);
        }
        MappedByteBuffer mb = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, fileSize);
        return new MappedFile(path, fileFromOffset, fileSize, mb);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map " + path, e);
    }
  }

  private static void writeZeros(FileChannel ch, int fileSize) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(fileSize, 1 << 20));
    long pos = 0;
    while (pos < fileSize) {
      zeros.clear();
      zeros.limit((int) Math.min(zeros.capacity(), fileSize - pos));
      pos += ch.write(zeros, pos);
    }
    ch.force(true);
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

  /**
   * Switches the file to channel writes: {@link #write} goes through {@code pwrite} into the page
   * cache the mapping shares (readers see it through their slices), and {@link #flush} becomes an
   * {@code fdatasync}, which on Linux costs a fraction of an {@code msync} of the same pages.
   */
  public void openChannel() {
    if (channel == null) {
      try {
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + path, e);
      }
    }
  }

  /**
   * Writes {@code srcs[0..count)} contiguously at {@code pos} through the channel, as few gathering
   * writes as the OS allows. Writer only (it moves the channel's position).
   */
  public void write(ByteBuffer[] srcs, int count, int pos) {
    try {
      channel.position(pos);
      int first = 0;
      while (first < count) {
        channel.write(srcs, first, count - first);
        while (first < count && !srcs[first].hasRemaining()) {
          first++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
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
        if (channel != null) {
          channel.force(false);
        } else {
          // Align the start down to a page: msync works on whole pages anyway.
          int from = flushed - (flushed % PAGE_SIZE);
          buffer.force(from, wrote - from);
        }
        flushedPosition = wrote;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot flush " + path, e);
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
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException e) {
            LOG.warn("cannot close {}: {}", path, e.toString());
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return path.getFileName() + "[wrote=" + wrotePosition + ",flushed=" + flushedPosition + "]";
  }
}
