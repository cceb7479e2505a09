package dev.apogee.store.file;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the next file of a log on its own thread, ahead of need, so a roll finds its file ready
 * instead of waiting for file creation and mapping. With warm-up ({@code warmMapedFileEnable}) the
 * file is written with zeros and synced first, so its disk blocks exist before it takes appends.
 *
 * <p>Thread-safe. {@link #take} is called by the log's writer; it waits only when the file was not
 * requested in advance or is still being made.
 */
public final class FileAllocator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileAllocator.class);

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "apogee-file-allocator");
            t.setDaemon(true);
            return t;
          });
  private final ConcurrentHashMap<Path, CompletableFuture<MappedFile>> pending =
      new ConcurrentHashMap<>();
  private final boolean warmUp;
  private volatile boolean closed;

  public FileAllocator(boolean warmUp) {
    this.warmUp = warmUp;
  }

  /** Starts making {@code path} in the background unless already under way. */
  public void request(Path path, long fromOffset, int size) {
    if (closed) {
      return;
    }
    pending.computeIfAbsent(
        path, p -> CompletableFuture.supplyAsync(() -> make(p, fromOffset, size), executor));
  }

  /** The file at {@code path}: the one made in advance, or made now. */
  public MappedFile take(Path path, long fromOffset, int size) {
    CompletableFuture<MappedFile> f = pending.remove(path);
    if (f == null) {
      return make(path, fromOffset, size);
    }
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while allocating " + path, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("allocating " + path + " failed: " + e.getCause(), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("allocating " + path + " timed out", e);
    }
  }

  private MappedFile make(Path path, long fromOffset, int size) {
    long t0 = System.nanoTime();
    MappedFile f = MappedFile.open(path, fromOffset, size, warmUp);
    LOG.debug(
        "allocated {} ({} bytes) in {} ms",
        path.getFileName(),
        size,
        (System.nanoTime() - t0) / 1_000_000);
    return f;
  }

  /** Stops and unmaps files made in advance but never taken (their files stay, empty). */
  @Override
  public void close() {
    closed = true;
    executor.shutdown();
    for (CompletableFuture<MappedFile> f : pending.values()) {
      f.thenAccept(MappedFile::close);
    }
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("file allocator did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pending.clear();
  }
}
