package dev.apogee.protocol;

/**
 * The offsets of one queue, a value of {@link TopicStatsTable#offsetTable()}. Immutable.
 *
 * @param minOffset the first offset still stored
 * @param maxOffset the offset the next message will take
 * @param lastUpdateTimestamp store time of the newest message, epoch millis
 */
public record TopicOffset(long minOffset, long maxOffset, long lastUpdateTimestamp)
    implements JsonBody {

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("lastUpdateTimestamp", lastUpdateTimestamp)
        .field("maxOffset", maxOffset)
        .field("minOffset", minOffset)
        .endObject();
  }

  /** Reads a queue's offsets; an absent one is 0. */
  public static TopicOffset readJson(JsonIn in) {
    long minOffset = 0;
    long maxOffset = 0;
    long lastUpdateTimestamp = 0;
    in.beginObject("TopicOffset");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "minOffset" -> minOffset = in.longValue();
        case "maxOffset" -> maxOffset = in.longValue();
        case "lastUpdateTimestamp" -> lastUpdateTimestamp = in.longValue();
        default -> in.skipValue();
      }
    }
    return new TopicOffset(minOffset, maxOffset, lastUpdateTimestamp);
  }
}
