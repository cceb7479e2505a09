package dev.apogee.broker.client;

import dev.apogee.protocol.BodyFormatException;
import dev.apogee.protocol.JsonIn;
import dev.apogee.protocol.ProtocolJson;
import java.util.List;
import java.util.Set;

/**
 * The body of HEART_BEAT (protocol doc 2.6): who the client is and which producer and consumer
 * groups it belongs to, with each consumer group's subscriptions. Fields a client sends beyond
 * these are skipped.
 */
public record HeartbeatData(
    String clientID,
    Set<ProducerData> producerDataSet,
    Set<ConsumerData> consumerDataSet,
    int heartbeatFingerprint,
    boolean withoutSub) {

  public HeartbeatData {
    producerDataSet = producerDataSet == null ? Set.of() : Set.copyOf(producerDataSet);
    consumerDataSet = consumerDataSet == null ? Set.of() : Set.copyOf(consumerDataSet);
  }

  /**
   * Parses a heartbeat body.
   *
   * @throws BodyFormatException (an {@link IllegalArgumentException}) for an unreadable body or one
   *     without a {@code clientID}
   */
  public static HeartbeatData parse(byte[] body) {
    HeartbeatData h;
    try {
      h = ProtocolJson.read(body, HeartbeatData::readJson);
    } catch (BodyFormatException e) {
      throw new BodyFormatException("unreadable heartbeat body: " + e.getMessage(), e);
    }
    if (h.clientID() == null || h.clientID().isEmpty()) {
      throw new BodyFormatException("the heartbeat has no clientID");
    }
    return h;
  }

  /** Reads a heartbeat as clients write it. */
  public static HeartbeatData readJson(JsonIn in) {
    String clientID = null;
    List<ProducerData> producerDataSet = null;
    List<ConsumerData> consumerDataSet = null;
    int heartbeatFingerprint = 0;
    boolean withoutSub = false;
    in.beginObject("HeartbeatData");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "clientID" -> clientID = in.string();
        case "producerDataSet" -> producerDataSet = in.list(ProducerData::readJson);
        case "consumerDataSet" -> consumerDataSet = in.list(ConsumerData::readJson);
        case "heartbeatFingerprint" -> heartbeatFingerprint = in.intValue();
        case "withoutSub" -> withoutSub = in.bool();
        default -> in.skipValue();
      }
    }
    return new HeartbeatData(
        clientID,
        producerDataSet == null ? null : Set.copyOf(producerDataSet),
        consumerDataSet == null ? null : Set.copyOf(consumerDataSet),
        heartbeatFingerprint,
        withoutSub);
  }

  /** A producer group the client belongs to. */
  public record ProducerData(String groupName) {

    /** Reads a producer group entry. */
    public static ProducerData readJson(JsonIn in) {
      String groupName = null;
      in.beginObject("ProducerData");
      while (in.nextField()) {
        if (in.fieldName().equals("groupName")) {
          groupName = in.string();
        } else {
          in.skipValue();
        }
      }
      return new ProducerData(groupName);
    }
  }

  /**
   * A consumer group the client belongs to.
   *
   * @param consumeType {@code CONSUME_PASSIVELY} (push), {@code CONSUME_ACTIVELY} (pull), ...
   * @param messageModel {@code CLUSTERING} or {@code BROADCASTING}
   */
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

    /** Reads a consumer group entry. */
    public static ConsumerData readJson(JsonIn in) {
      String groupName = null;
      String consumeType = null;
      String messageModel = null;
      String consumeFromWhere = null;
      List<SubscriptionData> subscriptionDataSet = null;
      boolean unitMode = false;
      in.beginObject("ConsumerData");
      while (in.nextField()) {
        switch (in.fieldName()) {
          case "groupName" -> groupName = in.string();
          case "consumeType" -> consumeType = in.string();
          case "messageModel" -> messageModel = in.string();
          case "consumeFromWhere" -> consumeFromWhere = in.string();
          case "subscriptionDataSet" -> subscriptionDataSet = in.list(SubscriptionData::readJson);
          case "unitMode" -> unitMode = in.bool();
          default -> in.skipValue();
        }
      }
      return new ConsumerData(
          groupName,
          consumeType,
          messageModel,
          consumeFromWhere,
          subscriptionDataSet == null ? null : Set.copyOf(subscriptionDataSet),
          unitMode);
    }
  }
}
