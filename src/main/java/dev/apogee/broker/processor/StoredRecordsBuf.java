package dev.apogee.broker.processor;

import dev.apogee.store.GetResult;
import dev.apogee.store.log.SelectedRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A pull response body made of the stored records themselves: each component wraps a slice of the
 * mapped commit log (no copy), and the store's hold on those files is released when the body is
 * freed, that is once the response has been written to the socket.
 */
final class StoredRecordsBuf extends CompositeByteBuf {
  private final GetResult result;

  private StoredRecordsBuf(GetResult result) {
    super(ByteBufAllocator.DEFAULT, true, Math.max(2, result.records().size()));
    this.result = result;
  }

  static ByteBuf of(GetResult result) {
    StoredRecordsBuf buf = new StoredRecordsBuf(result);
    for (SelectedRecord r : result.records()) {
      buf.addComponent(true, Unpooled.wrappedBuffer(r.buffer()));
    }
    return buf;
  }

  @Override
  protected void deallocate() {
    try {
      super.deallocate();
    } finally {
      result.release();
    }
  }
}
