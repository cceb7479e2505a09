package dev.apogee.store;

import dev.apogee.config.StoreConfig;
import dev.apogee.store.file.MappedFile;
import dev.apogee.store.log.CommitLog;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which commit log files to delete: those older than {@code fileReservedTime} hours, at the hours
 * of {@code deleteWhen} or at any hour when the disk is over {@code diskMaxUsedSpaceRatio}; and,
 * when the disk is over {@code diskSpaceCleanForciblyRatio}, the oldest files even before they
 * expire. The file being written is never deleted. At most ten files go per run.
 *
 * <p>Runs on the clean verticle's thread only.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final int MAX_FILES_PER_RUN = 10;

  private final StoreConfig config;
  private final CommitLog log;
  private final LongSupplier clock;
  private final Set<Integer> deleteHours = new HashSet<>();

  Retention(StoreConfig config, CommitLog log, LongSupplier clock) {
    this.config = config;
    this.log = log;
    this.clock = clock;
    for (String h : config.deleteWhen().split(";")) {
      if (!h.isBlank()) {
        deleteHours.add(Integer.parseInt(h.trim()));
      }
    }
  }

  /** Deletes what is due given the disk's used ratio (0..1); returns the number of files. */
  int run(double usedRatio) {
    long now = clock.getAsLong();
    int hour = Instant.ofEpochMilli(now).atZone(ZoneId.systemDefault()).getHour();
    boolean timeUp = deleteHours.contains(hour);
    boolean spaceFull = usedRatio > config.diskMaxUsedSpaceRatio() / 100.0;
    boolean forcibly =
        config.cleanFileForciblyEnable()
            && usedRatio > config.diskSpaceCleanForciblyRatio() / 100.0;
    if (!timeUp && !spaceFull && !forcibly) {
      return 0;
    }
    long expireMillis = config.fileReservedTime() * 3_600_000L;
    List<MappedFile> files = log.files().files();
    int deleted = 0;
    for (MappedFile f : files) {
      if (deleted >= MAX_FILES_PER_RUN || f == log.files().last()) {
        break;
      }
      long age = now - lastWrite(f);
      if (age <= expireMillis && !forcibly) {
        break;
      }
      log.files().deleteFirst(f);
      deleted++;
      LOG.info(
          "deleted commit log file {} ({} h old{})",
          f.path().getFileName(),
          age / 3_600_000L,
          age <= expireMillis ? ", disk " + Math.round(usedRatio * 100) + "% used" : "");
    }
    return deleted;
  }

  private static long lastWrite(MappedFile f) {
    long ts = f.lastStoreTimestamp();
    if (ts > 0) {
      return ts;
    }
    try {
      return Files.getLastModifiedTime(f.path()).toMillis();
    } catch (IOException e) {
      LOG.warn("cannot read the age of {}: {}", f.path(), e.toString());
      return Long.MAX_VALUE;
    }
  }
}
