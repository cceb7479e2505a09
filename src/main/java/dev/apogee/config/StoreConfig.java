package dev.apogee.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the message store, in RocketMQ's key names and with its defaults except where noted.
 *
 * @param storePathRootDir root of all store files ({@code ./data}; RocketMQ: {@code ~/store})
 * @param storePathCommitLog commit log directory ({@code <root>/commitlog} when not set)
 * @param mappedFileSizeCommitLog size of one commit log file in bytes (1 GiB)
 * @param mappedFileSizeConsumeQueue size of one consume queue file, a multiple of 20 (300,000
 *     units)
 * @param maxMessageSize largest message body accepted, in bytes (4 MiB)
 * @param warmMapedFileEnable write zeros through each new commit log file, in the background, so
 *     its disk blocks exist before it takes writes
 * @param checkCRCOnRecover verify body CRCs while recovering after a crash
 * @param messageIndexEnable build the key index
 * @param maxHashSlotNum hash slots per index file
 * @param maxIndexNum entries per index file
 * @param fileReservedTime hours a commit log file is kept after its last write (72)
 * @param deleteWhen hours of the day ({@code "04"} or {@code "01;04"}) when expired files are
 *     deleted
 * @param diskMaxUsedSpaceRatio disk use (percent) above which expired files are deleted at any hour
 * @param diskSpaceCleanForciblyRatio disk use (percent) above which the oldest files are deleted
 *     even before they expire
 * @param diskSpaceWarningLevelRatio disk use (percent) above which appends are refused
 * @param cleanResourceInterval milliseconds between retention checks
 * @param deleteCommitLogFilesInterval read for compatibility; each retention check deletes at most
 *     ten files instead
 * @param destroyMapedFileIntervalForcibly read for compatibility; a deleted file is unmapped only
 *     once no reader holds it (unmapping under a reader would crash the process)
 * @param cleanFileForciblyEnable allow deleting unexpired files when the disk is nearly full
 * @param messageDelayLevel the delay of each level of delayed messages ({@code 1s 5s 10s 30s 1m 2m
 *     3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h}); the store needs it because a delayed message's
 *     consume-queue unit holds its due time (its store time plus its level's delay) in place of the
 *     tag hash, also when queues are rebuilt from the log
 */
public record StoreConfig(
    Path storePathRootDir,
    Path storePathCommitLog,
    int mappedFileSizeCommitLog,
    int mappedFileSizeConsumeQueue,
    int maxMessageSize,
    boolean warmMapedFileEnable,
    boolean checkCRCOnRecover,
    boolean messageIndexEnable,
    int maxHashSlotNum,
    int maxIndexNum,
    int fileReservedTime,
    String deleteWhen,
    int diskMaxUsedSpaceRatio,
    int diskSpaceCleanForciblyRatio,
    int diskSpaceWarningLevelRatio,
    int cleanResourceInterval,
    int deleteCommitLogFilesInterval,
    int destroyMapedFileIntervalForcibly,
    boolean cleanFileForciblyEnable,
    DelayLevels messageDelayLevel) {

  /** Bytes of one consume queue unit: commit log offset (8), size (4), tags code (8). */
  public static final int CQ_UNIT_SIZE = 20;

  public StoreConfig {
    if (mappedFileSizeCommitLog < 4096) {
      throw new ConfigException(
          "mappedFileSizeCommitLog must be at least 4096, was " + mappedFileSizeCommitLog);
    }
    if (mappedFileSizeConsumeQueue < CQ_UNIT_SIZE
        || mappedFileSizeConsumeQueue % CQ_UNIT_SIZE != 0) {
      throw new ConfigException(
          "mappedFileSizeConsumeQueue must be a positive multiple of 20, was "
              + mappedFileSizeConsumeQueue);
    }
    if (maxMessageSize <= 0) {
      throw new ConfigException("maxMessageSize must be positive, was " + maxMessageSize);
    }
    if (maxHashSlotNum <= 0 || maxIndexNum <= 0) {
      throw new ConfigException("maxHashSlotNum and maxIndexNum must be positive");
    }
    if (fileReservedTime <= 0) {
      throw new ConfigException("fileReservedTime must be positive hours, was " + fileReservedTime);
    }
    // RocketMQ clamps the used-space ratio to [10, 95].
    diskMaxUsedSpaceRatio = Math.max(10, Math.min(95, diskMaxUsedSpaceRatio));
    if (storePathCommitLog == null) {
      storePathCommitLog = storePathRootDir.resolve("commitlog");
    }
    if (messageDelayLevel == null) {
      messageDelayLevel = DelayLevels.DEFAULT;
    }
  }

  /** Reads the store settings from {@code src}. */
  public static StoreConfig from(ConfigSource src) {
    Path root = Path.of(src.string("storePathRootDir", "./data"));
    String cl = src.string("storePathCommitLog", null);
    return new StoreConfig(
        root,
        cl == null || cl.isEmpty() ? null : Path.of(cl),
        src.integer("mappedFileSizeCommitLog", 1024 * 1024 * 1024),
        src.integer("mappedFileSizeConsumeQueue", 300_000 * CQ_UNIT_SIZE),
        src.integer("maxMessageSize", 4 * 1024 * 1024),
        src.bool("warmMapedFileEnable", false),
        src.bool("checkCRCOnRecover", true),
        src.bool("messageIndexEnable", true),
        src.integer("maxHashSlotNum", 5_000_000),
        src.integer("maxIndexNum", 20_000_000),
        src.integer("fileReservedTime", 72),
        src.string("deleteWhen", "04"),
        src.integer("diskMaxUsedSpaceRatio", 75),
        src.integer("diskSpaceCleanForciblyRatio", 85),
        src.integer("diskSpaceWarningLevelRatio", 90),
        src.integer("cleanResourceInterval", 10_000),
        src.integer("deleteCommitLogFilesInterval", 100),
        src.integer("destroyMapedFileIntervalForcibly", 120_000),
        src.bool("cleanFileForciblyEnable", true),
        delayLevels(src));
  }

  private static DelayLevels delayLevels(ConfigSource src) {
    String v = src.string("messageDelayLevel", DelayLevels.DEFAULT_LEVELS);
    try {
      return DelayLevels.parse(v);
    } catch (IllegalArgumentException e) {
      throw src.invalid(
          "messageDelayLevel",
          v,
          "delays separated by spaces, each a whole number followed by s, m, h or d ("
              + e.getMessage()
              + ")");
    }
  }

  /** Defaults with the root directory at {@code root}, and {@code overrides} applied. */
  public static StoreConfig of(Path root, Map<String, String> overrides) {
    java.util.HashMap<String, String> m = new java.util.HashMap<>(overrides);
    m.put("storePathRootDir", root.toString());
    return from(ConfigSource.of(m));
  }

  public Path consumeQueueDir() {
    return storePathRootDir.resolve("consumequeue");
  }

  public Path indexDir() {
    return storePathRootDir.resolve("index");
  }

  public Path configDir() {
    return storePathRootDir.resolve("config");
  }

  public Path checkpointFile() {
    return storePathRootDir.resolve("checkpoint");
  }

  public Path abortFile() {
    return storePathRootDir.resolve("abort");
  }

  public Path lockFile() {
    return storePathRootDir.resolve("lock");
  }
}
