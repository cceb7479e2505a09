package dev.apogee.client;

import java.time.Duration;

/**
 * Settings of a {@link Producer}; defaults are the official {@code DefaultMQProducer}'s. Not
 * thread-safe.
 */
public final class ProducerOptions extends ClientOptions<ProducerOptions> {
  /** 4 MiB: the official client's and broker's largest body. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  private String producerGroup = "DEFAULT_PRODUCER";
  private Duration sendTimeout = Duration.ofSeconds(3);
  private int retryTimesWhenSendFailed = 2;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private int compressThreshold = 4 * 1024;
  private int compressLevel = 5;
  private String createTopicKey = "TBW102";
  private int defaultTopicQueueNums = 4;

  public ProducerOptions() {}

  public ProducerOptions(ProducerOptions other) {
    super(other);
    this.producerGroup = other.producerGroup;
    this.sendTimeout = other.sendTimeout;
    this.retryTimesWhenSendFailed = other.retryTimesWhenSendFailed;
    this.maxMessageSize = other.maxMessageSize;
    this.compressThreshold = other.compressThreshold;
    this.compressLevel = other.compressLevel;
    this.createTopicKey = other.createTopicKey;
    this.defaultTopicQueueNums = other.defaultTopicQueueNums;
  }

  @Override
  protected ProducerOptions self() {
    return this;
  }

  /** The producer group, sent with every message and heartbeat. */
  public String producerGroup() {
    return producerGroup;
  }

  public ProducerOptions setProducerGroup(String producerGroup) {
    this.producerGroup = nonEmpty("producerGroup", producerGroup);
    return this;
  }

  /** How long one send may take in all, retries included (3 s). */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  public ProducerOptions setSendTimeout(Duration sendTimeout) {
    this.sendTimeout = positive("sendTimeout", sendTimeout);
    return this;
  }

  /** How many more times a failed send is tried, on another broker when there is one (2). */
  public int retryTimesWhenSendFailed() {
    return retryTimesWhenSendFailed;
  }

  public ProducerOptions setRetryTimesWhenSendFailed(int times) {
    this.retryTimesWhenSendFailed = atLeast("retryTimesWhenSendFailed", times, 0);
    return this;
  }

  /** The largest body (before compression) or encoded batch accepted, in bytes (4 MiB). */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  public ProducerOptions setMaxMessageSize(int maxMessageSize) {
    this.maxMessageSize = atLeast("maxMessageSize", maxMessageSize, 1);
    return this;
  }

  /** Bodies of at least this many bytes are sent zlib-compressed (4096). */
  public int compressThreshold() {
    return compressThreshold;
  }

  public ProducerOptions setCompressThreshold(int bytes) {
    this.compressThreshold = atLeast("compressThreshold", bytes, 0);
    return this;
  }

  /** The zlib level, 0 to 9 (5). */
  public int compressLevel() {
    return compressLevel;
  }

  public ProducerOptions setCompressLevel(int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("compressLevel must be 0 to 9, not " + level);
    }
    this.compressLevel = level;
    return this;
  }

  /** The topic whose route is used for a topic the name server does not know yet (TBW102). */
  public String createTopicKey() {
    return createTopicKey;
  }

  public ProducerOptions setCreateTopicKey(String topic) {
    this.createTopicKey = nonEmpty("createTopicKey", topic);
    return this;
  }

  /** Queues per broker asked for when a send creates its topic (4). */
  public int defaultTopicQueueNums() {
    return defaultTopicQueueNums;
  }

  public ProducerOptions setDefaultTopicQueueNums(int queues) {
    this.defaultTopicQueueNums = atLeast("defaultTopicQueueNums", queues, 1);
    return this;
  }
}
