package dev.apogee.store;

import java.nio.ByteBuffer;

/**
 * Decides which messages a reader wants: first by the tags code in the consume queue (cheap), then
 * optionally by the stored record itself (properties, for SQL92 filters).
 */
public interface MessageFilter {
  /** Every message. */
  MessageFilter ALL = code -> true;

  boolean matchesTagsCode(long tagsCode);

  /** Checks the whole record (a view positioned at its first byte). Default: accept. */
  default boolean matchesRecord(ByteBuffer record) {
    return true;
  }

  /** Messages whose tag hash is one of {@code codes} (a subscription's code set). */
  static MessageFilter tagCodes(java.util.Set<Integer> codes) {
    if (codes == null || codes.isEmpty()) {
      return ALL;
    }
    long[] sorted = codes.stream().mapToLong(Integer::longValue).sorted().toArray();
    return code -> java.util.Arrays.binarySearch(sorted, code) >= 0;
  }
}
