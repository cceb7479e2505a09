package dev.apogee.client.impl;

import dev.apogee.client.ConsumeFromWhere;
import dev.apogee.client.MessageModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * The HeartbeatData JSON a client sends with HEART_BEAT (rocketmq-protocol.md 2.6): its id, the
 * consumer group it belongs to with its subscriptions, and its producer groups (always including
 * {@value ClientCore#CLIENT_INNER_PRODUCER}, as official clients do). Pure.
 */
final class HeartbeatBody {
  private HeartbeatBody() {}

  /** A producer's heartbeat. */
  static JsonObject producer(String clientId, String producerGroup) {
    return body(
        clientId,
        new JsonArray(),
        new JsonArray()
            .add(new JsonObject().put("groupName", producerGroup))
            .add(new JsonObject().put("groupName", ClientCore.CLIENT_INNER_PRODUCER)));
  }

  /** A push consumer's heartbeat with its subscriptions. */
  static JsonObject pushConsumer(
      String clientId,
      String group,
      MessageModel model,
      ConsumeFromWhere from,
      Collection<Subscription> subscriptions) {
    JsonArray subs = new JsonArray();
    for (Subscription s : subscriptions) {
      subs.add(s.toJson());
    }
    JsonObject consumer =
        new JsonObject()
            .put("consumeFromWhere", "CONSUME_FROM_" + from.name())
            .put("consumeType", "CONSUME_PASSIVELY")
            .put("groupName", group)
            .put("messageModel", model.name())
            .put("subscriptionDataSet", subs)
            .put("unitMode", false);
    return body(
        clientId,
        new JsonArray().add(consumer),
        new JsonArray().add(new JsonObject().put("groupName", ClientCore.CLIENT_INNER_PRODUCER)));
  }

  private static JsonObject body(String clientId, JsonArray consumers, JsonArray producers) {
    return new JsonObject()
        .put("clientID", clientId)
        .put("consumerDataSet", consumers)
        .put("heartbeatFingerprint", 0)
        .put("producerDataSet", producers)
        .put("withoutSub", false);
  }
}
