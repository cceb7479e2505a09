package dev.apogee.store.log;

import dev.apogee.store.file.MappedFile;
import java.nio.ByteBuffer;

/**
 * Bytes of the commit log (one record or a run of them) sliced from a mapped file that is held
 * until {@link #release()}. The buffer is a view of the mapping, not a copy.
 */
public record SelectedRecord(MappedFile file, ByteBuffer buffer, long offset) {
  /** Lets go of the file; the buffer must not be used afterwards. */
  public void release() {
    file.release();
  }
}
