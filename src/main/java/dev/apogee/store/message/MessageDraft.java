package dev.apogee.store.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;

/**
 * What the broker knows of a message before the store places it: everything {@link RecordEncoder}
 * needs to write a record except the queue offset, physical offset and store time, which it writes
 * as 0 for the store to patch in place ({@link RecordLayout}).
 *
 * <p>The body is a {@link ByteBuf} and its readable bytes are the body: the broker receives a SEND
 * as a frame in a {@code ByteBuf}, so it can pass a slice of the frame and the body is copied once,
 * from the frame into the record, with the CRC computed over the same bytes in place. A {@code
 * byte[]} costs nothing to wrap ({@link Unpooled#wrappedBuffer(byte[])}), a sub-range of one
 * neither. The properties are a {@code String} because the request header carries them as one (and
 * {@link MessageProperties#encode} makes one); the encoder writes it as UTF-8 straight into the
 * record, with no intermediate array.
 *
 * <p>The draft does not own the body: encoding neither moves its reader index nor releases it, and
 * the caller must keep it alive until {@link RecordEncoder#encode(MessageDraft, ByteBuf, int)}
 * returns. Immutable apart from that buffer; hand it to one thread at a time.
 *
 * @param sysFlag message sysFlag (protocol doc 3.2); the encoder sets or clears the IPv6 bits
 *     0x10/0x20 from the actual addresses
 * @param body the body's readable bytes; null is taken as empty
 * @param properties the properties string (protocol doc 3.1); null is taken as empty
 */
public record MessageDraft(
    String topic,
    int queueId,
    int flag,
    int sysFlag,
    long bornTimestamp,
    InetSocketAddress bornHost,
    InetSocketAddress storeHost,
    int reconsumeTimes,
    long preparedTransactionOffset,
    ByteBuf body,
    String properties) {

  public MessageDraft {
    body = body == null ? Unpooled.EMPTY_BUFFER : body;
    properties = properties == null ? "" : properties;
  }
}
