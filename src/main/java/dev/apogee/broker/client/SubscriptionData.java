package dev.apogee.broker.client;

import dev.apogee.protocol.JsonIn;
import dev.apogee.store.MessageFilter;
import java.util.List;
import java.util.Set;

/**
 * One topic subscription of a consumer group as clients send it in heartbeats (protocol doc 2.6):
 * the expression, its tags and their hash codes, and its version.
 *
 * @param subString the expression: {@code *} (all), {@code TagA || TagB}, or SQL92
 * @param expressionType {@code TAG} or {@code SQL92}
 */
public record SubscriptionData(
    String topic,
    String subString,
    Set<String> tagsSet,
    Set<Integer> codeSet,
    long subVersion,
    String expressionType,
    boolean classFilterMode) {

  public static final String SUB_ALL = "*";

  public SubscriptionData {
    tagsSet = tagsSet == null ? Set.of() : Set.copyOf(tagsSet);
    codeSet = codeSet == null ? Set.of() : Set.copyOf(codeSet);
    expressionType = expressionType == null ? "TAG" : expressionType;
  }

  /** A TAG subscription parsed as RocketMQ clients do: tags split on {@code ||} and trimmed. */
  public static SubscriptionData ofTags(String topic, String expression, long subVersion) {
    if (expression == null || expression.isBlank() || expression.trim().equals(SUB_ALL)) {
      return new SubscriptionData(topic, SUB_ALL, Set.of(), Set.of(), subVersion, "TAG", false);
    }
    java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
    java.util.LinkedHashSet<Integer> codes = new java.util.LinkedHashSet<>();
    for (String t : expression.split("\\|\\|")) {
      String tag = t.trim();
      if (!tag.isEmpty()) {
        tags.add(tag);
        codes.add(tag.hashCode());
      }
    }
    return new SubscriptionData(topic, expression, tags, codes, subVersion, "TAG", false);
  }

  /** Reads a subscription as clients write it in heartbeats; unknown fields are skipped. */
  public static SubscriptionData readJson(JsonIn in) {
    String topic = null;
    String subString = null;
    List<String> tagsSet = null;
    List<Integer> codeSet = null;
    long subVersion = 0;
    String expressionType = null;
    boolean classFilterMode = false;
    in.beginObject("SubscriptionData");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "topic" -> topic = in.string();
        case "subString" -> subString = in.string();
        case "tagsSet" -> tagsSet = in.strings();
        case "codeSet" -> codeSet = in.list(JsonIn::intValue);
        case "subVersion" -> subVersion = in.longValue();
        case "expressionType" -> expressionType = in.string();
        case "classFilterMode" -> classFilterMode = in.bool();
        default -> in.skipValue();
      }
    }
    return new SubscriptionData(
        topic,
        subString,
        tagsSet == null ? null : Set.copyOf(tagsSet),
        codeSet == null ? null : Set.copyOf(codeSet),
        subVersion,
        expressionType,
        classFilterMode);
  }

  public boolean isTagType() {
    return "TAG".equalsIgnoreCase(expressionType);
  }

  /**
   * The broker-side filter for a TAG subscription: all messages, or those whose tag hash matches.
   */
  public MessageFilter tagFilter() {
    if (SUB_ALL.equals(subString) || codeSet.isEmpty()) {
      return MessageFilter.ALL;
    }
    return MessageFilter.tagCodes(codeSet);
  }
}
