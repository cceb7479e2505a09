package dev.apogee.store.index;

import java.util.List;

/**
 * What a key lookup found: commit log offsets, newest first and without repeats, plus the end of
 * the index when it was asked (the QUERY_MESSAGE reply fields {@code indexLastUpdateTimestamp} and
 * {@code indexLastUpdatePhyoffset}). Immutable; safe to pass between threads.
 *
 * @param phyOffsets commit log offsets of the records whose key hash matched, newest first; hash
 *     collisions included, so the caller checks each record's keys
 * @param lastUpdateTimestamp store time of the newest entry of the newest index file (0 if none)
 * @param lastUpdatePhyOffset commit log offset of that entry (0 if none)
 */
public record IndexQueryResult(
    List<Long> phyOffsets, long lastUpdateTimestamp, long lastUpdatePhyOffset) {

  public IndexQueryResult {
    phyOffsets = List.copyOf(phyOffsets);
  }
}
