package dev.apogee.broker.processor;

import java.util.Map;

/**
 * The header of SEND_MESSAGE (long field names) and SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE (the
 * single-letter names {@code a}..{@code n}), protocol doc 2.4.
 *
 * @param reconsumeTimes null when absent
 * @param maxReconsumeTimes null when absent
 */
public record SendMessageRequestHeader(
    String producerGroup,
    String topic,
    String defaultTopic,
    int defaultTopicQueueNums,
    int queueId,
    int sysFlag,
    long bornTimestamp,
    int flag,
    String properties,
    Integer reconsumeTimes,
    boolean unitMode,
    Integer maxReconsumeTimes,
    boolean batch) {

  /** Reads the header; {@code v2} selects the single-letter names. */
  public static SendMessageRequestHeader from(Map<String, String> ext, boolean v2) {
    String producerGroup = Headers.string(ext, v2 ? "a" : "producerGroup");
    String topic = Headers.string(ext, v2 ? "b" : "topic");
    String defaultTopic = Headers.optional(ext, v2 ? "c" : "defaultTopic");
    int defaultTopicQueueNums = Headers.integer(ext, v2 ? "d" : "defaultTopicQueueNums", 4);
    int queueId = Headers.integer(ext, v2 ? "e" : "queueId");
    int sysFlag = Headers.integer(ext, v2 ? "f" : "sysFlag", 0);
    long bornTimestamp = Headers.longValue(ext, v2 ? "g" : "bornTimestamp", 0);
    int flag = Headers.integer(ext, v2 ? "h" : "flag", 0);
    String properties = Headers.optional(ext, v2 ? "i" : "properties");
    String rt = v2 ? "j" : "reconsumeTimes";
    String mrt = v2 ? "l" : "maxReconsumeTimes";
    return new SendMessageRequestHeader(
        producerGroup,
        topic,
        defaultTopic,
        defaultTopicQueueNums,
        queueId,
        sysFlag,
        bornTimestamp,
        flag,
        properties,
        ext.containsKey(rt) ? Headers.integer(ext, rt) : null,
        Headers.bool(ext, v2 ? "k" : "unitMode", false),
        ext.containsKey(mrt) ? Headers.integer(ext, mrt) : null,
        Headers.bool(ext, v2 ? "m" : "batch", false));
  }
}
