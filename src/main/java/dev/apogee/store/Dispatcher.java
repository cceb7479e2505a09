package dev.apogee.store;

import static dev.apogee.store.message.RecordLayout.MAGIC_BLANK;
import static dev.apogee.store.message.RecordLayout.MAGIC_V1;
import static dev.apogee.store.message.RecordLayout.MAGIC_V2;

import dev.apogee.config.DelayLevels;
import dev.apogee.store.file.MappedFile;
import dev.apogee.store.index.IndexService;
import dev.apogee.store.log.CommitLog;
import dev.apogee.store.message.RecordLayout;
import dev.apogee.store.queue.ConsumeQueue;
import dev.apogee.store.queue.ConsumeQueueTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the commit log and builds what is derived from it: a consume-queue unit per record and
 * key-index entries, then tells the arrival listener which queues grew. The same code runs live and
 * during recovery, so consume queues and the index can always be rebuilt from the log.
 *
 * <p>Threading: one thread (the index verticle's, or the opener's during recovery). {@link
 * #dispatchedOffset()} is readable from any thread.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * RocketMQ's topic of delayed messages, one queue per delay level. Its units carry the message's
   * due time instead of a tag hash (protocol doc 3.4, 5.8).
   */
  public static final String SCHEDULE_TOPIC = "SCHEDULE_TOPIC_XXXX";

  private final CommitLog log;
  private final ConsumeQueueTable queues;
  private final IndexService index;
  private final MessageArrivalListener listener;
  private final DelayLevels delayLevels;

  /** Queues that grew in this dispatch round, each once (marked with the round number). */
  private ConsumeQueue[] touched = new ConsumeQueue[64];

  private int touchedCount;
  private long round = 1;
  private int[] keyHashes = new int[8];
  private final PropertyScan props = new PropertyScan();
  private final Map<String, ConsumeQueue[]> queueCache = new HashMap<>();

  private volatile long dispatchedOffset;
  private volatile long lastStoreTimestamp;
  private byte[] lastTopicBytes = new byte[0];
  private String lastTopic = "";
  private boolean stalled;

  /**
   * {@code index} is null when the key index is disabled; {@code delayLevels} gives the due time of
   * a {@link #SCHEDULE_TOPIC} record from its DELAY level and store time.
   */
  public Dispatcher(
      CommitLog log,
      ConsumeQueueTable queues,
      IndexService index,
      MessageArrivalListener listener,
      DelayLevels delayLevels) {
    this.log = log;
    this.queues = queues;
    this.index = index;
    this.listener = listener;
    this.delayLevels = delayLevels;
  }

  public long dispatchedOffset() {
    return dispatchedOffset;
  }

  public void setDispatchedOffset(long offset) {
    this.dispatchedOffset = offset;
  }

  /** Store time of the last record dispatched (for the checkpoint). */
  public long lastStoreTimestamp() {
    return lastStoreTimestamp;
  }

  /** Bytes of the log not dispatched yet. */
  public long behindBytes() {
    return Math.max(0, log.maxOffset() - dispatchedOffset);
  }

  /** Dispatches every complete record up to the log's end; returns how many. */
  public int dispatch() {
    return dispatch(log.maxOffset(), Integer.MAX_VALUE);
  }

  /**
   * Dispatches records below {@code limit}, at most {@code maxRecords}; returns how many. Wakes the
   * arrival listener once per grown queue.
   */
  public int dispatch(long limit, int maxRecords) {
    if (stalled) {
      return 0;
    }
    int n = 0;
    long offset = dispatchedOffset;
    while (offset < limit && n < maxRecords && !stalled) {
      MappedFile f = log.files().findByOffset(offset);
      if (f == null) {
        // Files below the offset were deleted by retention: continue at the oldest file.
        long min = log.minOffset();
        if (offset < min) {
          offset = min;
          dispatchedOffset = offset;
          continue;
        }
        break;
      }
      if (!f.hold()) {
        break;
      }
      long from = f.fileFromOffset();
      boolean nextFile = false;
      try {
        ByteBuffer b = f.mapped();
        int pos = (int) (offset - from);
        int wrote = f.wrotePosition();
        int end = (int) Math.min(wrote, limit - from);
        while (pos < end && n < maxRecords) {
          int size = b.getInt(pos);
          int magic = b.getInt(pos + 4);
          if (magic == MAGIC_BLANK) {
            nextFile = true;
            break;
          }
          if ((magic != MAGIC_V1 && magic != MAGIC_V2) || size <= 0 || pos + size > wrote) {
            stalled = true;
            LOG.error(
                "dispatch stopped: no record at commit log offset {} (magic {}, size {})",
                from + pos,
                Integer.toHexString(magic),
                size);
            break;
          }
          dispatchRecord(b, pos, magic, from + pos, size);
          pos += size;
          n++;
        }
        // Judge fullness by the position read above: the writer may fill the file meanwhile,
        // and records it adds after that read are not dispatched in this pass.
        if (pos >= wrote && wrote == f.fileSize()) {
          nextFile = true;
        }
        offset = nextFile ? from + f.fileSize() : from + pos;
        dispatchedOffset = offset;
      } finally {
        f.release();
      }
      if (!nextFile) {
        break;
      }
    }
    if (touchedCount > 0) {
      for (int i = 0; i < touchedCount; i++) {
        ConsumeQueue cq = touched[i];
        touched[i] = null;
        if (listener != null) {
          listener.arrived(cq.topic(), cq.queueId(), cq.maxOffset());
        }
      }
      touchedCount = 0;
    }
    round++;
    return n;
  }

  private void dispatchRecord(ByteBuffer b, int pos, int magic, long phy, int size) {
    int sysFlag = b.getInt(pos + RecordLayout.POS_SYS_FLAG);
    int queueId = b.getInt(pos + RecordLayout.POS_QUEUE_ID);
    long queueOffset = b.getLong(pos + RecordLayout.POS_QUEUE_OFFSET);
    long storeTs = b.getLong(pos + RecordLayout.posStoreTimestamp(sysFlag));
    int bodyLenPos = pos + RecordLayout.posBodyLength(sysFlag);
    int topicLenPos = bodyLenPos + 4 + b.getInt(bodyLenPos);
    int topicLen;
    int topicPos;
    if (magic == MAGIC_V2) {
      topicLen = b.getShort(topicLenPos) & 0xFFFF;
      topicPos = topicLenPos + 2;
    } else {
      topicLen = b.get(topicLenPos) & 0xFF;
      topicPos = topicLenPos + 1;
    }
    String topic = topic(b, topicPos, topicLen);
    int propsPos = topicPos + topicLen + 2;
    int propsLen = b.getShort(topicPos + topicLen) & 0xFFFF;
    props.scan(b, propsPos, propsLen);
    int tranType = RecordLayout.transactionType(sysFlag);
    if (tranType == RecordLayout.TRANSACTION_NOT_TYPE
        || tranType == RecordLayout.TRANSACTION_COMMIT_TYPE) {
      long tagsCode = props.tagsCode;
      if (props.delayLevel > 0 && topic.equals(SCHEDULE_TOPIC)) {
        tagsCode = delayLevels.deliverTimestamp(props.delayLevel, storeTs);
      }
      ConsumeQueue cq = queue(topic, queueId);
      long before = cq.maxOffset();
      cq.put(queueOffset, phy, size, tagsCode);
      if (cq.arrivalRound != round && cq.maxOffset() > before) {
        cq.arrivalRound = round;
        if (touchedCount == touched.length) {
          touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = cq;
      }
    }
    if (index != null
        && tranType != RecordLayout.TRANSACTION_ROLLBACK_TYPE
        && props.hasKeys()
        && phy >= index.indexedPhyOffset()) {
      keyHashes = props.keyHashes(topic.hashCode(), keyHashes);
      index.putHashes(keyHashes, props.keyCount, phy, storeTs);
    }
    lastStoreTimestamp = storeTs;
  }

  /** The queue of the last record when it is the same (the common case in a burst). */
  private ConsumeQueue queue(String topic, int queueId) {
    ConsumeQueue[] cached = queueCache.get(topic);
    if (cached != null && queueId < cached.length && cached[queueId] != null) {
      return cached[queueId];
    }
    ConsumeQueue cq = queues.findOrCreate(topic, queueId);
    if (cached == null || queueId >= cached.length) {
      ConsumeQueue[] grown = new ConsumeQueue[Math.max(queueId + 1, 8)];
      if (cached != null) {
        System.arraycopy(cached, 0, grown, 0, cached.length);
      }
      cached = grown;
      queueCache.put(topic, cached);
    }
    cached[queueId] = cq;
    return cq;
  }

  /** Decodes the topic, reusing the last one when the bytes are the same (the common case). */
  private String topic(ByteBuffer b, int pos, int len) {
    byte[] last = lastTopicBytes;
    if (last.length == len) {
      boolean same = true;
      for (int i = len - 1; i >= 0; i--) {
        if (b.get(pos + i) != last[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        return lastTopic;
      }
    }
    byte[] bytes = new byte[len];
    b.get(pos, bytes);
    lastTopicBytes = bytes;
    lastTopic = new String(bytes, StandardCharsets.UTF_8);
    return lastTopic;
  }
}
