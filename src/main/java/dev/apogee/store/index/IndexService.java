package dev.apogee.store.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key index of the store: a directory of {@link IndexFile}s, named by the store time of their
 * first entry as {@code yyyyMMddHHmmssSSS} (UTC), looked up newest first. Indexes {@code topic#key}
 * for every item of a record's {@code KEYS} property and {@code topic#uniqKey}.
 *
 * <p>Threading: {@link #load}, {@link #put} and {@link #truncate} belong to one writer thread (the
 * dispatcher). {@link #query} and {@link #indexedPhyOffset} may be called from any thread at any
 * time; {@link #flush} from one flushing thread; {@link #deleteFilesBefore} from any thread while
 * the writer runs. {@link #close} and {@link #destroy} once the writer and flusher have stopped.
 * Time is never read from a clock: every timestamp is a store time passed in.
 */
public final class IndexService {
  private static final Logger LOG = LoggerFactory.getLogger(IndexService.class);

  /** The largest time a 4-digit year can name: 9999-12-31T23:59:59.999Z. */
  private static final long MAX_NAME_MILLIS = 253_402_300_799_999L;

  private static final DateTimeFormatter NAME_FORMAT =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4)
          .appendValue(ChronoField.MONTH_OF_YEAR, 2)
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .appendValue(ChronoField.MILLI_OF_SECOND, 3)
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT)
          .withZone(ZoneOffset.UTC);

  private final Path dir;
  private final int hashSlotNum;
  private final int indexNum;

  /** Guards replacing {@link #files}; readers use whatever snapshot they read. */
  private final Object filesLock = new Object();

  /** Oldest first; immutable, replaced as a whole. */
  private volatile List<IndexFile> files = List.of();

  /** Files the writer filled and left since the last flush. */
  private final ConcurrentLinkedQueue<IndexFile> filledSinceFlush = new ConcurrentLinkedQueue<>();

  /** Written by the writer only. */
  private volatile long indexedPhyOffset = -1;

  /** Time named by the newest file; new names are later still. Writer only. */
  private long lastNameMillis = Long.MIN_VALUE;

  /**
   * @param dir the index directory ({@code StoreConfig.indexDir()})
   * @param hashSlotNum hash slots per file ({@code maxHashSlotNum})
   * @param indexNum entries per file, entry 0 included ({@code maxIndexNum}); at least 2
   */
  public IndexService(Path dir, int hashSlotNum, int indexNum) {
    if (hashSlotNum < 1 || indexNum < 2) {
      throw new IllegalArgumentException(
          "index needs maxHashSlotNum >= 1 and maxIndexNum >= 2, was "
              + hashSlotNum
              + " and "
              + indexNum);
    }
    if (IndexFile.fileSize(hashSlotNum, indexNum) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "index file of maxHashSlotNum="
              + hashSlotNum
              + " maxIndexNum="
              + indexNum
              + " would exceed "
              + Integer.MAX_VALUE
              + " bytes");
    }
    this.dir = dir;
    this.hashSlotNum = hashSlotNum;
    this.indexNum = indexNum;
  }

  /**
   * Maps the existing files in name order, creating the directory if needed. Files with no entry
   * are deleted unless they are the newest. Call once, before anything else.
   *
   * @throws IllegalStateException if a file's size does not match the configured counts
   */
  public void load() {
    if (!files.isEmpty()) {
      throw new IllegalStateException("index in " + dir + " is already loaded");
    }
    List<IndexFile> loaded = new ArrayList<>();
    try {
      for (Path p : listFiles()) {
        loaded.add(IndexFile.open(p, hashSlotNum, indexNum));
      }
    } catch (RuntimeException e) {
      loaded.forEach(IndexFile::close);
      throw e;
    }
    List<IndexFile> kept = new ArrayList<>();
    for (int i = 0; i < loaded.size(); i++) {
      IndexFile f = loaded.get(i);
      if (f.isEmpty() && i < loaded.size() - 1) {
        LOG.info("deleting index file {}: it holds no entry", f.path());
        f.destroy();
      } else {
        kept.add(f);
      }
    }
    synchronized (filesLock) {
      files = List.copyOf(kept);
    }
    indexedPhyOffset =
        kept.stream().filter(f -> !f.isEmpty()).mapToLong(IndexFile::endPhyOffset).max().orElse(-1);
    if (!kept.isEmpty()) {
      lastNameMillis = nameMillis(kept.get(kept.size() - 1).path().getFileName().toString());
    }
    LOG.info(
        "loaded {} index files from {}, indexed up to commit log offset {}",
        kept.size(),
        dir,
        indexedPhyOffset);
  }

  private List<Path> listFiles() {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(Files::isRegularFile).filter(this::isIndexFileName).sorted().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list index directory " + dir, e);
    }
  }

  private boolean isIndexFileName(Path p) {
    String name = p.getFileName().toString();
    if (name.length() != 17 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    try {
      nameMillis(name);
      return true;
    } catch (DateTimeException e) {
      LOG.warn("ignoring {} in the index directory: {} is not a time", p, name);
      return false;
    }
  }

  private static long nameMillis(String name) {
    return Instant.from(NAME_FORMAT.parse(name)).toEpochMilli();
  }

  /**
   * Indexes the record at {@code phyOffset}: {@code topic#uniqKey} when {@code uniqKey} is set and
   * {@code topic#k} for every non-empty item {@code k} of the space-separated {@code keysProperty}.
   * Rolls to a new file when the last one is full. Writer thread only.
   *
   * <p>Replays are safe: a record below {@link #indexedPhyOffset()} is ignored, and the record at
   * exactly that offset gets only the keys its last put did not reach (a crash may have cut that
   * put short).
   */
  public void put(
      String topic, String keysProperty, String uniqKey, long phyOffset, long storeTimestamp) {
    int[] hashes = new int[4];
    int n = 0;
    if (uniqKey != null && !uniqKey.isEmpty()) {
      hashes[n++] = (topic + '#' + uniqKey).hashCode();
    }
    if (keysProperty != null) {
      for (String k : keysProperty.split(" ")) {
        if (!k.isEmpty()) {
          if (n == hashes.length) {
            hashes = java.util.Arrays.copyOf(hashes, n * 2);
          }
          hashes[n++] = (topic + '#' + k).hashCode();
        }
      }
    }
    putHashes(hashes, n, phyOffset, storeTimestamp);
  }

  private void putHash(int hash, long phyOffset, long storeTimestamp, Set<Integer> skip) {
    if (!skip.isEmpty() && skip.contains(hash)) {
      return;
    }
    IndexFile f = lastFile();
    if (f != null && f.putHash(hash, phyOffset, storeTimestamp)) {
      return;
    }
    f = roll(storeTimestamp);
    if (!f.putHash(hash, phyOffset, storeTimestamp)) {
      throw new IllegalStateException("new index file " + f + " refused its first key");
    }
  }

  /**
   * As {@link #put} for keys given as the {@code String.hashCode()} of each {@code topic#key}
   * (computed by the caller from the record's bytes, so no key string is made). Writer only.
   */
  public void putHashes(int[] keyStringHashes, int count, long phyOffset, long storeTimestamp) {
    long indexed = indexedPhyOffset;
    if (phyOffset < indexed) {
      return;
    }
    Set<Integer> alreadyIndexed = Set.of();
    IndexFile last = lastFile();
    if (phyOffset == indexed && last != null && last.endPhyOffset() == phyOffset) {
      alreadyIndexed = new HashSet<>();
      last.tailKeyHashes(phyOffset, alreadyIndexed);
    }
    for (int i = 0; i < count; i++) {
      putHash(IndexFile.keyHashOf(keyStringHashes[i]), phyOffset, storeTimestamp, alreadyIndexed);
    }
    indexedPhyOffset = phyOffset;
  }

  private IndexFile roll(long storeTimestamp) {
    IndexFile previous = lastFile();
    Path path = dir.resolve(nextName(storeTimestamp));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create index directory " + dir, e);
    }
    IndexFile f = IndexFile.open(path, hashSlotNum, indexNum);
    synchronized (filesLock) {
      List<IndexFile> next = new ArrayList<>(files);
      next.add(f);
      files = List.copyOf(next);
    }
    if (previous != null) {
      filledSinceFlush.add(previous);
    }
    LOG.info("new index file {} after {}", path, previous);
    return f;
  }

  /**
   * The name for a file whose first entry is stored at {@code storeTimestamp}: that time, moved
   * forward past the newest name and past any file already there, so names sort in creation order
   * even if two files start in the same millisecond or store times step back.
   */
  private String nextName(long storeTimestamp) {
    long millis = Math.max(0, Math.min(MAX_NAME_MILLIS, storeTimestamp));
    if (lastNameMillis != Long.MIN_VALUE && millis <= lastNameMillis) {
      millis = lastNameMillis + 1;
    }
    String name = NAME_FORMAT.format(Instant.ofEpochMilli(millis));
    while (Files.exists(dir.resolve(name))) {
      millis++;
      name = NAME_FORMAT.format(Instant.ofEpochMilli(millis));
    }
    lastNameMillis = millis;
    return name;
  }

  /**
   * The highest commit log offset indexed, -1 when none. A dispatcher replaying the commit log
   * after a restart calls {@link #put} for records above it (or at it: see {@link #put}).
   */
  public long indexedPhyOffset() {
    return indexedPhyOffset;
  }

  /**
   * Commit log offsets of records indexed under {@code topic#key} with a store time in {@code
   * [begin, end]} (second precision, as stored), newest first, at most {@code maxNum}, without
   * repeats. Any thread.
   */
  public IndexQueryResult query(String topic, String key, int maxNum, long begin, long end) {
    List<IndexFile> snapshot = files;
    List<Long> out = new ArrayList<>();
    long lastTimestamp = 0;
    long lastPhyOffset = 0;
    String indexKey = topic + '#' + key;
    boolean newest = true;
    for (int i = snapshot.size() - 1; i >= 0 && out.size() < maxNum; i--) {
      IndexFile f = snapshot.get(i);
      if (f.isEmpty()) {
        continue;
      }
      if (newest) {
        lastTimestamp = f.endTimestamp();
        lastPhyOffset = f.endPhyOffset();
        newest = false;
      }
      if (f.isTimeMatched(begin, end)) {
        f.select(indexKey, maxNum, begin, end, out);
      }
      if (f.beginTimestamp() < begin) {
        break;
      }
    }
    return new IndexQueryResult(out, lastTimestamp, lastPhyOffset);
  }

  /**
   * Forces to disk the files filled since the last call and the file being written. Returns the
   * store time of the newest entry now on disk (0 if none), for the checkpoint.
   */
  public long flush() {
    IndexFile f;
    while ((f = filledSinceFlush.poll()) != null) {
      f.flush();
    }
    IndexFile last = lastFile();
    if (last == null) {
      return 0;
    }
    long covered = last.endTimestamp();
    last.flush();
    return covered;
  }

  /**
   * Deletes, oldest first, every whole file whose entries all point below {@code
   * minCommitLogOffset} (the commit log no longer holds them); never the file being written.
   * Returns how many files went.
   */
  public int deleteFilesBefore(long minCommitLogOffset) {
    List<IndexFile> doomed;
    synchronized (filesLock) {
      List<IndexFile> current = files;
      int n = 0;
      while (n < current.size() - 1 && current.get(n).endPhyOffset() < minCommitLogOffset) {
        n++;
      }
      if (n == 0) {
        return 0;
      }
      doomed = current.subList(0, n);
      files = List.copyOf(current.subList(n, current.size()));
    }
    for (IndexFile f : doomed) {
      LOG.info(
          "deleting index file {}: ends at {}, commit log starts at {}",
          f.path(),
          f.endPhyOffset(),
          minCommitLogOffset);
      f.destroy();
    }
    return doomed.size();
  }

  /**
   * Forgets what lies at or past {@code commitLogEnd}, where recovery cut the commit log: deletes
   * the files that start there or later and lowers {@link #indexedPhyOffset()} (and the newest
   * file's end offset) below it, so the replay indexes the records written there again. Entries
   * past the cut in the remaining file stay; readers check what an offset holds. Writer thread.
   */
  public void truncate(long commitLogEnd) {
    List<IndexFile> doomed = new ArrayList<>();
    synchronized (filesLock) {
      List<IndexFile> kept = new ArrayList<>();
      for (IndexFile f : files) {
        if (!f.isEmpty() && f.beginPhyOffset() >= commitLogEnd) {
          doomed.add(f);
        } else {
          kept.add(f);
        }
      }
      files = List.copyOf(kept);
    }
    for (IndexFile f : doomed) {
      LOG.info(
          "deleting index file {}: starts at {}, commit log now ends at {}",
          f.path(),
          f.beginPhyOffset(),
          commitLogEnd);
      f.destroy();
    }
    if (indexedPhyOffset < commitLogEnd) {
      return;
    }
    long rewound = -1;
    List<IndexFile> remaining = files;
    for (int i = remaining.size() - 1; i >= 0 && rewound < 0; i--) {
      IndexFile f = remaining.get(i);
      if (!f.isEmpty()) {
        rewound = f.rewindEnd(commitLogEnd);
      }
    }
    LOG.info(
        "index truncated to commit log end {}: indexed offset {} -> {}",
        commitLogEnd,
        indexedPhyOffset,
        rewound);
    indexedPhyOffset = rewound;
  }

  /** Flushes, then unmaps every file without deleting it. */
  public void close() {
    flush();
    List<IndexFile> closing;
    synchronized (filesLock) {
      closing = files;
      files = List.of();
    }
    closing.forEach(IndexFile::close);
  }

  /** Deletes every file. */
  public void destroy() {
    List<IndexFile> doomed;
    synchronized (filesLock) {
      doomed = files;
      files = List.of();
    }
    filledSinceFlush.clear();
    doomed.forEach(IndexFile::destroy);
    indexedPhyOffset = -1;
  }

  /** The files, oldest first (a snapshot). */
  List<IndexFile> files() {
    return files;
  }

  private IndexFile lastFile() {
    List<IndexFile> snapshot = files;
    return snapshot.isEmpty() ? null : snapshot.get(snapshot.size() - 1);
  }
}
