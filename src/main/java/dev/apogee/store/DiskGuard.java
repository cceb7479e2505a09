package dev.apogee.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the disk of the commit log. Above {@code diskSpaceWarningLevelRatio} appends are refused
 * (an mmap write into a file the disk cannot back would crash the process) until space returns.
 *
 * <p>Threading: {@link #check} runs on the cleaner; {@link #full()} is read by the store thread.
 */
public final class DiskGuard {
  private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);

  /** Fraction (0..1) of a disk in use; replaceable so tests can simulate a full disk. */
  @FunctionalInterface
  public interface UsageProbe {
    double usedRatio(Path dir);
  }

  /** The real probe: total minus usable space of the file store holding {@code dir}. */
  public static final UsageProbe FILE_STORE =
      dir -> {
        try {
          FileStore fs = Files.getFileStore(dir);
          long total = fs.getTotalSpace();
          return total <= 0 ? 0 : (double) (total - fs.getUsableSpace()) / total;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read disk usage of " + dir, e);
        }
      };

  private final Path dir;
  private final UsageProbe probe;
  private final double refuseAt;
  private volatile boolean full;
  private volatile double lastRatio;

  public DiskGuard(Path dir, UsageProbe probe, int warningLevelPercent) {
    this.dir = dir;
    this.probe = probe;
    this.refuseAt = warningLevelPercent / 100.0;
  }

  /** Reads the disk use and updates the refuse flag, logging each change once. */
  public double check() {
    double r = probe.usedRatio(dir);
    lastRatio = r;
    boolean nowFull = r > refuseAt;
    if (nowFull != full) {
      full = nowFull;
      if (nowFull) {
        LOG.error(
            "disk of {} is {}% used (limit {}%): appends are refused until space returns",
            dir, Math.round(r * 100), Math.round(refuseAt * 100));
      } else {
        LOG.info("disk of {} is {}% used: appends resume", dir, Math.round(r * 100));
      }
    }
    return r;
  }

  public boolean full() {
    return full;
  }

  public double lastRatio() {
    return lastRatio;
  }
}
