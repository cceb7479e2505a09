package dev.apogee.store;

import dev.apogee.store.file.MappedFile;
import dev.apogee.store.log.CommitLog;
import dev.apogee.store.message.RecordCheck;
import dev.apogee.store.message.RecordDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Finds where the valid commit log ends after a crash: walks records from a safe point, checking
 * each one's framing ({@link RecordCheck}), its own physical offset and (optionally) its body CRC.
 * The first record that fails marks the end; everything after it is a torn or garbage tail.
 */
final class StoreRecovery {
  private StoreRecovery() {}

  /** The offset after the last valid record at or after {@code from}. */
  static long scanEnd(CommitLog log, long from, boolean checkCrc) {
    List<MappedFile> files = log.files().files();
    if (files.isEmpty()) {
      return 0;
    }
    long offset = Math.max(from, log.files().minOffset());
    while (true) {
      MappedFile f = log.files().findByOffset(offset);
      if (f == null) {
        return offset;
      }
      ByteBuffer b = f.mapped();
      int size = f.fileSize();
      int pos = (int) (offset - f.fileFromOffset());
      boolean nextFile = false;
      while (pos < size) {
        int len = checkRecord(b, pos, size, f.fileFromOffset() + pos, checkCrc);
        if (len == 0) {
          return f.fileFromOffset() + pos;
        }
        if (len < 0) {
          nextFile = true;
          break;
        }
        pos += len;
      }
      if (pos >= size) {
        nextFile = true;
      }
      if (!nextFile) {
        return f.fileFromOffset() + pos;
      }
      offset = f.fileFromOffset() + size;
      if (log.files().findByOffset(offset) == null) {
        return offset;
      }
    }
  }

  /**
   * The length of the valid record at {@code pos}; -1 for a blank end-of-file record that fills the
   * file; 0 when there is no valid record there. Beyond the codec's checks, a record must carry its
   * own position as its physical offset, so stale bytes from before a truncation never pass.
   */
  static int checkRecord(ByteBuffer b, int pos, int fileSize, long phy, boolean checkCrc) {
    RecordCheck c = RecordCheck.check(b, pos, fileSize, checkCrc);
    switch (c.status()) {
      case BLANK:
        return c.size() == fileSize - pos ? -1 : 0;
      case VALID:
        return RecordDecoder.physicalOffset(b, pos) == phy ? c.size() : 0;
      default:
        return 0;
    }
  }
}
