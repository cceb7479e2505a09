package dev.apogee.protocol;

import java.util.Map;

/**
 * The offset each queue is reset to, the body of RESET_CONSUMER_CLIENT_OFFSET (rocketmq-protocol.md
 * 1.10). {@code offsetTable} is written with raw object keys (pitfall P2). Immutable; queues
 * sorted.
 *
 * @param offsetTable the new offset per queue
 */
public record ResetOffsetBody(Map<MessageQueueKey, Long> offsetTable) implements JsonBody {

  public ResetOffsetBody {
    offsetTable = Copies.sortedMap(offsetTable);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject().rawKeyField("offsetTable", offsetTable, JsonOut::value).endObject();
  }

  /** Reads the body; each key of {@code offsetTable} must hold a queue as JSON. */
  public static ResetOffsetBody readJson(JsonIn in) {
    Map<MessageQueueKey, Long> offsetTable = null;
    in.beginObject("ResetOffsetBody");
    while (in.nextField()) {
      if (in.fieldName().equals("offsetTable")) {
        offsetTable = in.map(MessageQueueKey::fromKey, JsonIn::longValue);
      } else {
        in.skipValue();
      }
    }
    return new ResetOffsetBody(offsetTable);
  }
}
