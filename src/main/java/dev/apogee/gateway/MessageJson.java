package dev.apogee.gateway;

import dev.apogee.client.ReceivedMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A stored message as the gateway shows it. */
public final class MessageJson {
  private MessageJson() {}

  /**
   * The message's ids, place, times, tags, keys and properties; the body as {@code bodyBase64}, and
   * also as {@code body} when it is valid UTF-8 text.
   */
  public static JsonObject of(ReceivedMessage m) {
    JsonObject props = new JsonObject();
    m.properties().forEach(props::put);
    JsonObject o =
        new JsonObject()
            .put("msgId", m.msgId())
            .put("offsetMsgId", m.offsetMsgId())
            .put("topic", m.topic())
            .put("brokerName", m.queue().brokerName())
            .put("queueId", m.queue().queueId())
            .put("queueOffset", m.queueOffset())
            .put("tags", m.tags())
            .put("keys", new JsonArray(m.keys()))
            .put("properties", props)
            .put("bornTimestamp", m.bornTimestamp())
            .put("bornHost", m.bornHost())
            .put("storeTimestamp", m.storeTimestamp())
            .put("storeHost", m.storeHost())
            .put("reconsumeTimes", m.reconsumeTimes());
    byte[] body = m.body();
    String text = utf8(body);
    if (text != null) {
      o.put("body", text);
    }
    return o.put("bodyBase64", Base64.getEncoder().encodeToString(body));
  }

  private static String utf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
