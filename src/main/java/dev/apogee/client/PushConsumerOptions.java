package dev.apogee.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link PushConsumer}; periods are the official {@code DefaultMQPushConsumer}'s. Not
 * thread-safe.
 */
public final class PushConsumerOptions extends ClientOptions<PushConsumerOptions> {
  private String consumerGroup;
  private MessageModel messageModel = MessageModel.CLUSTERING;
  private ConsumeFromWhere consumeFromWhere = ConsumeFromWhere.LAST_OFFSET;
  private long consumeTimestamp;
  private int pullBatchSize = 32;
  private int maxInFlight = 512;
  private Duration pollTimeout = Duration.ofSeconds(15);
  private Duration rebalanceInterval = Duration.ofSeconds(20);
  private Duration persistOffsetInterval = Duration.ofSeconds(5);
  private Duration pullErrorDelay = Duration.ofSeconds(3);
  private Duration retryDelay = Duration.ofSeconds(1);
  private int maxReconsumeTimes = 16;
  private String localOffsetStoreDir;

  public PushConsumerOptions() {}

  public PushConsumerOptions(PushConsumerOptions other) {
    super(other);
    this.consumerGroup = other.consumerGroup;
    this.messageModel = other.messageModel;
    this.consumeFromWhere = other.consumeFromWhere;
    this.consumeTimestamp = other.consumeTimestamp;
    this.pullBatchSize = other.pullBatchSize;
    this.maxInFlight = other.maxInFlight;
    this.pollTimeout = other.pollTimeout;
    this.rebalanceInterval = other.rebalanceInterval;
    this.persistOffsetInterval = other.persistOffsetInterval;
    this.pullErrorDelay = other.pullErrorDelay;
    this.retryDelay = other.retryDelay;
    this.maxReconsumeTimes = other.maxReconsumeTimes;
    this.localOffsetStoreDir = other.localOffsetStoreDir;
  }

  @Override
  protected PushConsumerOptions self() {
    return this;
  }

  /** The consumer group; required. */
  public String consumerGroup() {
    return consumerGroup;
  }

  public PushConsumerOptions setConsumerGroup(String group) {
    this.consumerGroup = nonEmpty("consumerGroup", group);
    return this;
  }

  /** Clustering (the group shares the messages, the default) or broadcasting. */
  public MessageModel messageModel() {
    return messageModel;
  }

  public PushConsumerOptions setMessageModel(MessageModel model) {
    this.messageModel = Objects.requireNonNull(model, "messageModel");
    return this;
  }

  /** Where a queue without a committed offset starts. */
  public ConsumeFromWhere consumeFromWhere() {
    return consumeFromWhere;
  }

  public PushConsumerOptions setConsumeFromWhere(ConsumeFromWhere where) {
    this.consumeFromWhere = Objects.requireNonNull(where, "consumeFromWhere");
    return this;
  }

  /** The time (epoch ms) {@link ConsumeFromWhere#TIMESTAMP} starts from; 0: 30 minutes ago. */
  public long consumeTimestamp() {
    return consumeTimestamp;
  }

  public PushConsumerOptions setConsumeTimestamp(long epochMillis) {
    this.consumeTimestamp = epochMillis;
    return this;
  }

  /** The most messages one pull asks for (32). */
  public int pullBatchSize() {
    return pullBatchSize;
  }

  public PushConsumerOptions setPullBatchSize(int size) {
    this.pullBatchSize = atLeast("pullBatchSize", size, 1);
    return this;
  }

  /**
   * The most messages handed to the handler and not yet completed, over all queues (512); while
   * that many are open the consumer pulls no more.
   */
  public int maxInFlight() {
    return maxInFlight;
  }

  public PushConsumerOptions setMaxInFlight(int max) {
    this.maxInFlight = atLeast("maxInFlight", max, 1);
    return this;
  }

  /** How long the broker holds a pull that finds nothing new (15 s). */
  public Duration pollTimeout() {
    return pollTimeout;
  }

  public PushConsumerOptions setPollTimeout(Duration pollTimeout) {
    this.pollTimeout = positive("pollTimeout", pollTimeout);
    return this;
  }

  /** How often queues are divided again even without a membership notice (20 s). */
  public Duration rebalanceInterval() {
    return rebalanceInterval;
  }

  public PushConsumerOptions setRebalanceInterval(Duration interval) {
    this.rebalanceInterval = positive("rebalanceInterval", interval);
    return this;
  }

  /** How often consumed offsets are committed (5 s); they are also committed on close. */
  public Duration persistOffsetInterval() {
    return persistOffsetInterval;
  }

  public PushConsumerOptions setPersistOffsetInterval(Duration interval) {
    this.persistOffsetInterval = positive("persistOffsetInterval", interval);
    return this;
  }

  /** How long a queue waits after a failed pull before pulling again (3 s). */
  public Duration pullErrorDelay() {
    return pullErrorDelay;
  }

  public PushConsumerOptions setPullErrorDelay(Duration delay) {
    this.pullErrorDelay = positive("pullErrorDelay", delay);
    return this;
  }

  /** How long after a failed handling a message is handed to the handler again (1 s). */
  public Duration retryDelay() {
    return retryDelay;
  }

  public PushConsumerOptions setRetryDelay(Duration delay) {
    this.retryDelay = positive("retryDelay", delay);
    return this;
  }

  /**
   * How many times a message whose handling failed is handed over again before the consumer logs it
   * and moves on (16, as RocketMQ's retry limit).
   */
  public int maxReconsumeTimes() {
    return maxReconsumeTimes;
  }

  public PushConsumerOptions setMaxReconsumeTimes(int times) {
    this.maxReconsumeTimes = atLeast("maxReconsumeTimes", times, 0);
    return this;
  }

  /**
   * Broadcasting only: the directory where the consumer keeps its offsets, in {@code
   * <dir>/<group>/offsets.json}, so a restart continues where it stopped; null (the default) keeps
   * them in memory for the consumer's life.
   */
  public String localOffsetStoreDir() {
    return localOffsetStoreDir;
  }

  public PushConsumerOptions setLocalOffsetStoreDir(String dir) {
    this.localOffsetStoreDir = dir;
    return this;
  }
}
