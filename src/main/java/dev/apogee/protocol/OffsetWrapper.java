package dev.apogee.protocol;

/**
 * A consumer group's progress on one queue, a value of {@link ConsumeStats#offsetTable()}.
 * Immutable.
 *
 * @param brokerOffset the queue's max offset on the broker
 * @param consumerOffset the group's committed offset
 * @param pullOffset the offset the group last pulled from
 * @param lastTimestamp store time of the last consumed message, epoch millis
 */
public record OffsetWrapper(
    long brokerOffset, long consumerOffset, long pullOffset, long lastTimestamp)
    implements JsonBody {

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerOffset", brokerOffset)
        .field("consumerOffset", consumerOffset)
        .field("lastTimestamp", lastTimestamp)
        .field("pullOffset", pullOffset)
        .endObject();
  }

  /** Reads a group's progress on a queue; an absent number is 0. */
  public static OffsetWrapper readJson(JsonIn in) {
    long brokerOffset = 0;
    long consumerOffset = 0;
    long pullOffset = 0;
    long lastTimestamp = 0;
    in.beginObject("OffsetWrapper");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "brokerOffset" -> brokerOffset = in.longValue();
        case "consumerOffset" -> consumerOffset = in.longValue();
        case "pullOffset" -> pullOffset = in.longValue();
        case "lastTimestamp" -> lastTimestamp = in.longValue();
        default -> in.skipValue();
      }
    }
    return new OffsetWrapper(brokerOffset, consumerOffset, pullOffset, lastTimestamp);
  }
}
