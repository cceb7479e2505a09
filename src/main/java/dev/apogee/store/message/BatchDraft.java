package dev.apogee.store.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;

/**
 * A SEND_BATCH_MESSAGE ready for {@link RecordEncoder#encodeBatch}: the fields all its messages
 * share, from the request header and the connection, and the request body, whose readable bytes are
 * the concatenated entries of protocol doc 3.6 ({@code int totalSize, int magic, int bodyCRC, int
 * flag, int bodyLength, body, short propertiesLength, properties}). Each entry supplies its own
 * flag, body and properties; the batch's own header properties are not stored, as in RocketMQ.
 *
 * <p>The draft does not own {@code entries}: encoding neither moves its reader index nor releases
 * it. Immutable apart from that buffer; hand it to one thread at a time.
 *
 * @param sysFlag message sysFlag for every record; the encoder sets or clears the IPv6 bits
 * @param entries the batch body; null is taken as empty (and rejected by the encoder)
 */
public record BatchDraft(
    String topic,
    int queueId,
    int sysFlag,
    long bornTimestamp,
    InetSocketAddress bornHost,
    InetSocketAddress storeHost,
    int reconsumeTimes,
    ByteBuf entries) {

  public BatchDraft {
    entries = entries == null ? Unpooled.EMPTY_BUFFER : entries;
  }
}
