package dev.apogee.client.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A subscription to a topic with a tag expression, as RocketMQ's SubscriptionData describes it
 * (rocketmq-protocol.md 2.6): {@code "*"} or empty takes every message, {@code "A || B"} the
 * messages tagged A or B. The broker filters by the tags' hash codes; {@link #matches} filters
 * again by the tag strings, as the official client does. Immutable.
 *
 * @param topic the topic
 * @param expression the expression as given, {@code "*"} for all
 * @param tags the tags named, empty for all
 * @param subVersion the version the broker compares (ms timestamp of the subscription)
 */
record Subscription(String topic, String expression, Set<String> tags, long subVersion) {
  static final String ALL = "*";

  Subscription {
    tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
  }

  /** The subscription {@code expression} describes. */
  static Subscription of(String topic, String expression, long subVersion) {
    if (expression == null || expression.isBlank() || ALL.equals(expression.trim())) {
      return new Subscription(topic, ALL, Set.of(), subVersion);
    }
    Set<String> tags = new LinkedHashSet<>();
    for (String t : expression.split("\\|\\|")) {
      String tag = t.trim();
      if (!tag.isEmpty()) {
        tags.add(tag);
      }
    }
    return new Subscription(
        topic,
        tags.isEmpty() ? ALL : expression.trim(),
        tags.isEmpty() ? Set.of() : tags,
        subVersion);
  }

  /** Whether a message with tag {@code tag} (null: none) is wanted. */
  boolean matches(String tag) {
    return tags.isEmpty() || (tag != null && tags.contains(tag));
  }

  /** The SubscriptionData JSON of a heartbeat. */
  JsonObject toJson() {
    JsonArray tagsSet = new JsonArray();
    JsonArray codeSet = new JsonArray();
    for (String tag : tags) {
      tagsSet.add(tag);
      codeSet.add(tag.hashCode());
    }
    return new JsonObject()
        .put("classFilterMode", false)
        .put("codeSet", codeSet)
        .put("expressionType", "TAG")
        .put("subString", expression)
        .put("subVersion", subVersion)
        .put("tagsSet", tagsSet)
        .put("topic", topic);
  }
}
