package dev.apogee.client;

import java.time.Duration;
import java.util.Objects;

/** Settings of a {@link PullConsumer}. Not thread-safe. */
public final class PullConsumerOptions extends ClientOptions<PullConsumerOptions> {
  private String consumerGroup;
  private Duration pollTimeout = Duration.ofSeconds(20);
  private ConsumeFromWhere consumeFromWhere = ConsumeFromWhere.LAST_OFFSET;
  private long consumeTimestamp;

  public PullConsumerOptions() {}

  public PullConsumerOptions(PullConsumerOptions other) {
    super(other);
    this.consumerGroup = other.consumerGroup;
    this.pollTimeout = other.pollTimeout;
    this.consumeFromWhere = other.consumeFromWhere;
    this.consumeTimestamp = other.consumeTimestamp;
  }

  @Override
  protected PullConsumerOptions self() {
    return this;
  }

  /** The consumer group whose offsets the consumer reads and commits; required. */
  public String consumerGroup() {
    return consumerGroup;
  }

  public PullConsumerOptions setConsumerGroup(String group) {
    this.consumerGroup = nonEmpty("consumerGroup", group);
    return this;
  }

  /**
   * How long the broker holds a pull that finds nothing new before answering (long polling; 20 s,
   * as the official lite pull consumer); zero answers at once.
   */
  public Duration pollTimeout() {
    return pollTimeout;
  }

  public PullConsumerOptions setPollTimeout(Duration pollTimeout) {
    if (pollTimeout.isNegative()) {
      throw new IllegalArgumentException("pollTimeout must not be negative, not " + pollTimeout);
    }
    this.pollTimeout = pollTimeout;
    return this;
  }

  /** Where a queue without a committed offset starts. */
  public ConsumeFromWhere consumeFromWhere() {
    return consumeFromWhere;
  }

  public PullConsumerOptions setConsumeFromWhere(ConsumeFromWhere where) {
    this.consumeFromWhere = Objects.requireNonNull(where, "consumeFromWhere");
    return this;
  }

  /** The time (epoch ms) {@link ConsumeFromWhere#TIMESTAMP} starts from; 0: 30 minutes ago. */
  public long consumeTimestamp() {
    return consumeTimestamp;
  }

  public PullConsumerOptions setConsumeTimestamp(long epochMillis) {
    this.consumeTimestamp = epochMillis;
    return this;
  }
}
