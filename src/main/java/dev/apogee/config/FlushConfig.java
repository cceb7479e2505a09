package dev.apogee.config;

/**
 * Settings of the flush schedule, in RocketMQ's key names and with its defaults.
 *
 * @param flushDiskType {@code ASYNC_FLUSH} (periodic fsync) or {@code SYNC_FLUSH} (reply after
 *     fsync)
 * @param flushIntervalCommitLog milliseconds between periodic commit log flushes (500)
 * @param flushCommitLogLeastPages dirty 4 KiB pages needed before a periodic flush (4)
 * @param flushCommitLogThoroughInterval milliseconds after which a periodic flush ignores the page
 *     minimum (10,000)
 * @param syncFlushTimeout milliseconds a SYNC_FLUSH append waits for its fsync before it answers
 *     FLUSH_DISK_TIMEOUT (5,000)
 * @param flushIntervalConsumeQueue milliseconds between consume queue and index flushes, each
 *     followed by a checkpoint (1,000)
 * @param flushConsumeQueueLeastPages dirty pages needed before a consume queue flush (2)
 * @param flushConsumeQueueThoroughInterval milliseconds after which consume queues are flushed
 *     regardless of the page minimum (60,000)
 */
public record FlushConfig(
    FlushDiskType flushDiskType,
    int flushIntervalCommitLog,
    int flushCommitLogLeastPages,
    int flushCommitLogThoroughInterval,
    int syncFlushTimeout,
    int flushIntervalConsumeQueue,
    int flushConsumeQueueLeastPages,
    int flushConsumeQueueThoroughInterval) {

  public FlushConfig {
    if (flushIntervalCommitLog <= 0 || flushIntervalConsumeQueue <= 0 || syncFlushTimeout <= 0) {
      throw new ConfigException(
          "flushIntervalCommitLog, flushIntervalConsumeQueue and syncFlushTimeout must be positive");
    }
  }

  public static FlushConfig from(ConfigSource src) {
    return new FlushConfig(
        src.enumValue("flushDiskType", FlushDiskType.class, FlushDiskType.ASYNC_FLUSH),
        src.integer("flushIntervalCommitLog", 500),
        src.integer("flushCommitLogLeastPages", 4),
        src.integer("flushCommitLogThoroughInterval", 10_000),
        src.integer("syncFlushTimeout", 5_000),
        src.integer("flushIntervalConsumeQueue", 1_000),
        src.integer("flushConsumeQueueLeastPages", 2),
        src.integer("flushConsumeQueueThoroughInterval", 60_000));
  }
}
