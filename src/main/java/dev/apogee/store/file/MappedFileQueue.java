package dev.apogee.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered files of one log: consecutive offsets, every file the same size, named by the offset
 * of its first byte.
 *
 * <p>Threading: one writer appends, rolls, truncates and deletes; readers on any thread find files
 * by offset (the file list is copy-on-write) and must {@link MappedFile#hold hold} a file to keep
 * using it after the lookup.
 */
public final class MappedFileQueue {
  private static final Logger LOG = LoggerFactory.getLogger(MappedFileQueue.class);

  private final Path dir;
  private final int fileSize;
  private final FileAllocator allocator;
  private final CopyOnWriteArrayList<MappedFile> files = new CopyOnWriteArrayList<>();
  private volatile long flushedWhere;

  private final boolean channelWrites;

  /** {@code allocator} may be null: files are then created on demand by the writer. */
  public MappedFileQueue(Path dir, int fileSize, FileAllocator allocator) {
    this(dir, fileSize, allocator, false);
  }

  /**
   * With {@code channelWrites}, every file is written through its channel and flushed with
   * fdatasync ({@link MappedFile#openChannel}); otherwise through the mapping, flushed with msync.
   */
  public MappedFileQueue(Path dir, int fileSize, FileAllocator allocator, boolean channelWrites) {
    this.dir = dir;
    this.fileSize = fileSize;
    this.allocator = allocator;
    this.channelWrites = channelWrites;
  }

  public Path dir() {
    return dir;
  }

  public int fileSize() {
    return fileSize;
  }

  /**
   * Asks the allocator to make the file that the next write at {@code offset} will need, in the
   * background: at start-up, so the first append does not wait for it.
   */
  public void prepare(long offset) {
    if (allocator == null) {
      return;
    }
    MappedFile last = last();
    if (last != null && !last.isFull()) {
      return;
    }
    long from = last == null ? offset - (offset % fileSize) : last.fileFromOffset() + fileSize;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    allocator.request(dir.resolve(MappedFile.fileName(from)), from, fileSize);
  }

  /**
   * Maps the existing files. Each starts out as fully written; recovery sets the real positions.
   */
  public void load() {
    try {
      Files.createDirectories(dir);
      List<Path> names;
      List<Path> unfinished;
      try (Stream<Path> s = Files.list(dir)) {
        List<Path> all = s.toList();
        names =
            all.stream()
                .filter(p -> p.getFileName().toString().matches("\\d{20}"))
                .sorted()
                .toList();
        unfinished =
            all.stream()
                .filter(p -> p.getFileName().toString().endsWith(MappedFile.TMP_SUFFIX))
                .toList();
      }
      for (Path p : unfinished) {
        LOG.info("deleting {}, a file whose making was cut short", p.getFileName());
        Files.delete(p);
      }
      long expected = -1;
      for (Path p : names) {
        long from = Long.parseLong(p.getFileName().toString());
        if (Files.size(p) != fileSize) {
          throw new IllegalStateException(
              p + " has " + Files.size(p) + " bytes but the configured file size is " + fileSize);
        }
        if (expected >= 0 && from != expected) {
          throw new IllegalStateException("gap in " + dir + ": expected a file at " + expected);
        }
        MappedFile f = MappedFile.open(p, from, fileSize);
        if (channelWrites) {
          f.openChannel();
        }
        f.setWrotePosition(fileSize);
        f.setFlushedPosition(fileSize);
        files.add(f);
        expected = from + fileSize;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load " + dir, e);
    }
  }

  public List<MappedFile> files() {
    return files;
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }

  public MappedFile first() {
    try {
      return files.isEmpty() ? null : files.get(0);
    } catch (IndexOutOfBoundsException e) {
      return null;
    }
  }

  public MappedFile last() {
    while (true) {
      int n = files.size();
      if (n == 0) {
        return null;
      }
      try {
        return files.get(n - 1);
      } catch (IndexOutOfBoundsException e) {
        // the list shrank between size() and get(); look again
      }
    }
  }

  /**
   * The file to write at {@code offset}, created (and the one after it requested in the background)
   * when the last file is full or there is none. Writer only.
   */
  public MappedFile lastOrCreate(long offset) {
    MappedFile last = last();
    if (last != null && !last.isFull()) {
      return last;
    }
    long from = last == null ? offset - (offset % fileSize) : last.fileFromOffset() + fileSize;
    Path path = dir.resolve(MappedFile.fileName(from));
    MappedFile f;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    f =
        allocator == null
            ? MappedFile.open(path, from, fileSize)
            : allocator.take(path, from, fileSize);
    if (channelWrites) {
      f.openChannel();
    }
    if (last == null) {
      // The first file of a log that starts mid-file (consume queue after retention, say).
      int pos = (int) (offset - from);
      f.setWrotePosition(pos);
      f.setFlushedPosition(pos);
      flushedWhere = offset;
    }
    files.add(f);
    if (allocator != null) {
      long next = from + fileSize;
      allocator.request(dir.resolve(MappedFile.fileName(next)), next, fileSize);
    }
    return f;
  }

  /** The file holding {@code offset}, or null. Any thread. */
  public MappedFile findByOffset(long offset) {
    MappedFile first = first();
    if (first == null || offset < first.fileFromOffset()) {
      return null;
    }
    int idx = (int) ((offset / fileSize) - (first.fileFromOffset() / fileSize));
    try {
      MappedFile f = files.get(idx);
      if (offset >= f.fileFromOffset() && offset < f.fileFromOffset() + fileSize) {
        return f;
      }
    } catch (IndexOutOfBoundsException e) {
      // offset beyond the last file, or the list changed under us: fall through to the scan
    }
    for (MappedFile f : files) {
      if (offset >= f.fileFromOffset() && offset < f.fileFromOffset() + fileSize) {
        return f;
      }
    }
    return null;
  }

  /** First offset still stored (start of the first file), or 0 when empty. */
  public long minOffset() {
    MappedFile f = first();
    return f == null ? 0 : f.fileFromOffset();
  }

  /** Offset after the last written byte. */
  public long maxOffset() {
    MappedFile f = last();
    return f == null ? 0 : f.fileFromOffset() + f.wrotePosition();
  }

  public long flushedWhere() {
    return flushedWhere;
  }

  public void setFlushedWhere(long offset) {
    this.flushedWhere = offset;
  }

  /**
   * Flushes from the flushed position on; returns true when something was forced. A file rolled
   * since the last flush is finished first, so the flushed offset only moves over durable bytes.
   */
  public boolean flush(int leastPages) {
    boolean any = false;
    while (true) {
      long where = flushedWhere;
      MappedFile f = findByOffset(where);
      if (f == null) {
        // Flushed exactly to the end of the last file, or the queue is empty.
        return any;
      }
      int before = f.flushedPosition();
      boolean lastFile = f == last();
      int pos = f.flush(lastFile ? leastPages : 0);
      any |= pos != before;
      long newWhere = f.fileFromOffset() + pos;
      flushedWhere = newWhere;
      if (lastFile || pos < fileSize) {
        return any;
      }
    }
  }

  /**
   * Drops everything at and after {@code offset}: later files are deleted, the file holding it is
   * cut back (and its dirty tail zeroed so no stale bytes can ever be read as records). Writer
   * only, before any reader is served.
   */
  public void truncate(long offset) {
    List<MappedFile> drop = new ArrayList<>();
    for (MappedFile f : files) {
      long end = f.fileFromOffset() + fileSize;
      if (end <= offset) {
        continue;
      }
      if (f.fileFromOffset() <= offset) {
        int pos = (int) (offset - f.fileFromOffset());
        zeroDirtyTail(f, pos);
        f.setWrotePosition(pos);
        f.setFlushedPosition(Math.min(f.flushedPosition(), pos));
      } else {
        drop.add(f);
      }
    }
    for (MappedFile f : drop) {
      files.remove(f);
      f.destroy();
      LOG.info("deleted {} past offset {}", f.path().getFileName(), offset);
    }
    if (flushedWhere > offset) {
      flushedWhere = offset;
    }
  }

  /** Zeroes from {@code pos} until a page that is already all zeros (or the end of the file). */
  private static void zeroDirtyTail(MappedFile f, int pos) {
    java.nio.ByteBuffer b = f.mapped();
    int size = f.fileSize();
    int i = pos;
    while (i < size) {
      int pageEnd = Math.min(size, (i / MappedFile.PAGE_SIZE + 1) * MappedFile.PAGE_SIZE);
      boolean dirty = false;
      for (int j = i; j < pageEnd; j++) {
        if (b.get(j) != 0) {
          dirty = true;
          b.put(j, (byte) 0);
        }
      }
      if (!dirty && i > pos) {
        break;
      }
      i = pageEnd;
    }
  }

  /** Removes {@code f} (the last file) from the queue and destroys it. Writer only. */
  public void deleteLast(MappedFile f) {
    if (last() == f && files.remove(f)) {
      f.destroy();
      long end = maxOffset();
      if (flushedWhere > end) {
        flushedWhere = end;
      }
    }
  }

  /** Removes {@code f} (the first file) from the queue and destroys it. Writer or cleaner. */
  public void deleteFirst(MappedFile f) {
    if (files.remove(f)) {
      f.destroy();
    }
  }

  /** Unmaps every file (clean shutdown). Files stay on disk. */
  public void close() {
    for (MappedFile f : files) {
      f.close();
    }
  }

  /** Unmaps and deletes every file and the directory (topic deleted). */
  public void destroyAll() {
    for (MappedFile f : files) {
      f.destroy();
    }
    files.clear();
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
