package dev.apogee.broker.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The body of HEART_BEAT (protocol doc 2.6): who the client is and which producer and consumer
 * groups it belongs to, with each consumer group's subscriptions.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatData(
    String clientID,
    Set<ProducerData> producerDataSet,
    Set<ConsumerData> consumerDataSet,
    int heartbeatFingerprint,
    boolean withoutSub) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public HeartbeatData {
    producerDataSet = producerDataSet == null ? Set.of() : Set.copyOf(producerDataSet);
    consumerDataSet = consumerDataSet == null ? Set.of() : Set.copyOf(consumerDataSet);
  }

  /** Parses a heartbeat body; an unreadable one is an {@link IllegalArgumentException}. */
  public static HeartbeatData parse(byte[] body) {
    try {
      HeartbeatData h = JSON.readValue(body, HeartbeatData.class);
      if (h.clientID() == null || h.clientID().isEmpty()) {
        throw new IllegalArgumentException("the heartbeat has no clientID");
      }
      return h;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable heartbeat body: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable heartbeat body: " + e.getMessage(), e);
    }
  }

  /** A producer group the client belongs to. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProducerData(String groupName) {}

  /**
   * A consumer group the client belongs to.
   *
   * @param consumeType {@code CONSUME_PASSIVELY} (push), {@code CONSUME_ACTIVELY} (pull), ...
   * @param messageModel {@code CLUSTERING} or {@code BROADCASTING}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ConsumerData(
      String groupName,
      String consumeType,
      String messageModel,
      String consumeFromWhere,
      Set<SubscriptionData> subscriptionDataSet,
      boolean unitMode) {
    public ConsumerData {
      subscriptionDataSet =
          subscriptionDataSet == null ? Set.of() : Set.copyOf(subscriptionDataSet);
    }

    public boolean broadcasting() {
      return "BROADCASTING".equals(messageModel);
    }

    public List<SubscriptionData> subscriptions() {
      return List.copyOf(subscriptionDataSet);
    }
  }
}
