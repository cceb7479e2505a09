package dev.apogee.store;

import static dev.apogee.store.message.RecordLayout.MAGIC_BLANK;
import static dev.apogee.store.message.RecordLayout.MAGIC_V1;
import static dev.apogee.store.message.RecordLayout.MAGIC_V2;

import dev.apogee.store.file.MappedFile;
import dev.apogee.store.log.CommitLog;
import dev.apogee.store.message.RecordLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Finds where the valid commit log ends after a crash: walks records from a safe point, checking
 * each one's magic code, internal lengths, its own physical offset and (optionally) its body CRC.
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
    CRC32 crc = new CRC32();
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
        int len = checkRecord(b, pos, size, f.fileFromOffset() + pos, checkCrc, crc);
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
   * The length of the valid record at {@code pos}; -1 for a valid blank end-of-file record; 0 when
   * there is no valid record there.
   */
  static int checkRecord(ByteBuffer b, int pos, int fileSize, long phy, boolean checkCrc, CRC32 crc) {
    int avail = fileSize - pos;
    if (avail < RecordLayout.BLANK_MIN_LENGTH) {
      return 0;
    }
    int total = b.getInt(pos);
    int magic = b.getInt(pos + RecordLayout.POS_MAGIC);
    if (magic == MAGIC_BLANK) {
      return total == avail ? -1 : 0;
    }
    if (magic != MAGIC_V1 && magic != MAGIC_V2) {
      return 0;
    }
    if (total < RecordLayout.POS_BORN_HOST + 8 || total > avail) {
      return 0;
    }
    int sysFlag = b.getInt(pos + RecordLayout.POS_SYS_FLAG);
    int bodyLenPos = RecordLayout.posBodyLength(sysFlag);
    if (bodyLenPos + 4 > total) {
      return 0;
    }
    if (b.getLong(pos + RecordLayout.POS_PHYSICAL_OFFSET) != phy) {
      return 0;
    }
    int bodyLen = b.getInt(pos + bodyLenPos);
    if (bodyLen < 0 || bodyLenPos + 4 + bodyLen > total) {
      return 0;
    }
    int topicLenPos = bodyLenPos + 4 + bodyLen;
    int topicLen;
    int afterTopicLen;
    if (magic == MAGIC_V2) {
      if (topicLenPos + 2 > total) {
        return 0;
      }
      topicLen = b.getShort(pos + topicLenPos) & 0xFFFF;
      afterTopicLen = topicLenPos + 2;
    } else {
      if (topicLenPos + 1 > total) {
        return 0;
      }
      topicLen = b.get(pos + topicLenPos) & 0xFF;
      afterTopicLen = topicLenPos + 1;
    }
    int propsLenPos = afterTopicLen + topicLen;
    if (topicLen == 0 || propsLenPos + 2 > total) {
      return 0;
    }
    int propsLen = b.getShort(pos + propsLenPos) & 0xFFFF;
    if (propsLenPos + 2 + propsLen != total) {
      return 0;
    }
    if (checkCrc) {
      crc.reset();
      crc.update(b.slice(pos + bodyLenPos + 4, bodyLen));
      int expected = (int) (crc.getValue() & 0x7FFFFFFF);
      if (expected != b.getInt(pos + RecordLayout.POS_BODY_CRC)) {
        return 0;
      }
    }
    return total;
  }
}
