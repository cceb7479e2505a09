package dev.apogee.store.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFileTest {
  private static final int SLOTS = 16;
  private static final int ENTRIES = 64;
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;
  private final List<IndexFile> opened = new ArrayList<>();

  @AfterEach
  void closeFiles() {
    opened.forEach(IndexFile::close);
  }

  private IndexFile open(String name) {
    IndexFile f = IndexFile.open(dir.resolve(name), SLOTS, ENTRIES);
    opened.add(f);
    return f;
  }

  private static List<Long> select(IndexFile f, String key, int maxNum, long begin, long end) {
    List<Long> out = new ArrayList<>();
    f.select(key, maxNum, begin, end, out);
    return out;
  }

  private static List<Long> selectAll(IndexFile f, String key) {
    return select(f, key, Integer.MAX_VALUE, 0, Long.MAX_VALUE);
  }

  /** Keys whose slot is {@code slot}: they all share one chain. */
  private static List<String> keysInSlot(int slot, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < count; i++) {
      String k = "key-" + i;
      if (IndexFile.keyHash(k) % SLOTS == slot) {
        keys.add(k);
      }
    }
    return keys;
  }

  @Test
  void writesRocketMqLayoutIntoTheFile() throws IOException {
    IndexFile f = open("a");
    String key = "TopicA#order-1";
    String other = keysInSlot(IndexFile.keyHash(key) % SLOTS, 1).get(0);
    assertTrue(f.putKey(key, 4096, T0));
    assertTrue(f.putKey(other, 8192, T0 + 2_500));
    f.flush();

    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f.path()));
    assertEquals(40 + SLOTS * 4 + ENTRIES * 20, b.capacity());
    assertEquals(T0, b.getLong(0));
    assertEquals(T0 + 2_500, b.getLong(8));
    assertEquals(4096, b.getLong(16));
    assertEquals(8192, b.getLong(24));
    assertEquals(1, b.getInt(32), "both keys share one slot");
    assertEquals(3, b.getInt(36), "entry 0 unused, two entries");

    int slotAt = 40 + (Math.abs(key.hashCode()) % SLOTS) * 4;
    assertEquals(2, b.getInt(slotAt), "slot points at the newest entry");
    int e1 = 40 + SLOTS * 4 + 20;
    assertEquals(Math.abs(key.hashCode()), b.getInt(e1));
    assertEquals(4096, b.getLong(e1 + 4));
    assertEquals(0, b.getInt(e1 + 12));
    assertEquals(0, b.getInt(e1 + 16), "first of its chain");
    int e2 = e1 + 20;
    assertEquals(Math.abs(other.hashCode()), b.getInt(e2));
    assertEquals(8192, b.getLong(e2 + 4));
    assertEquals(2, b.getInt(e2 + 12), "2.5 s after the begin timestamp, in whole seconds");
    assertEquals(1, b.getInt(e2 + 16), "links to the older entry of the slot");
  }

  @Test
  void keyWithMinValueHashCodeUsesSlotZero() throws IOException {
    String key = "polygenelubricants";
    assertEquals(Integer.MIN_VALUE, key.hashCode());
    IndexFile f = open("a");
    assertTrue(f.putKey(key, 77, T0));
    assertEquals(List.of(77L), selectAll(f, key));
    f.flush();
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f.path()));
    assertEquals(1, b.getInt(40), "slot 0 holds entry 1");
    assertEquals(0, b.getInt(40 + SLOTS * 4 + 20), "stored key hash is 0");
  }

  @Test
  void selectsOffsetsOfAKeyNewestFirst() {
    IndexFile f = open("a");
    f.putKey("k", 100, T0);
    f.putKey("other", 150, T0);
    f.putKey("k", 200, T0 + 1_000);
    f.putKey("k", 300, T0 + 2_000);
    assertEquals(List.of(300L, 200L, 100L), selectAll(f, "k"));
    assertEquals(List.of(150L), selectAll(f, "other"));
    assertEquals(List.of(), selectAll(f, "missing"));
  }

  @Test
  void manyKeysCollidingIntoOneSlotAreEachFound() {
    IndexFile f = open("a");
    List<String> keys = keysInSlot(5, 20);
    for (int i = 0; i < keys.size(); i++) {
      assertTrue(f.putKey(keys.get(i), 1000 + i, T0));
    }
    assertEquals(1, f.hashSlotCount());
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(List.of(1000L + i), selectAll(f, keys.get(i)), keys.get(i));
    }
  }

  @Test
  void keysWithEqualHashCodesReturnEachOthersOffsets() {
    assertEquals("T#Aa".hashCode(), "T#BB".hashCode());
    IndexFile f = open("a");
    f.putKey("T#Aa", 10, T0);
    f.putKey("T#BB", 20, T0);
    assertEquals(List.of(20L, 10L), selectAll(f, "T#Aa"), "the caller filters collisions");
  }

  @Test
  void filtersByStoreTimeInWholeSeconds() {
    IndexFile f = open("a");
    for (int i = 0; i < 5; i++) {
      f.putKey("k", i, T0 + i * 1_000L);
    }
    assertEquals(List.of(3L, 2L, 1L), select(f, "k", 10, T0 + 1_000, T0 + 3_000));
    assertEquals(List.of(4L), select(f, "k", 10, T0 + 3_500, Long.MAX_VALUE));
    assertEquals(List.of(), select(f, "k", 10, 0, T0 - 1));
    assertTrue(f.isTimeMatched(T0 + 4_000, T0 + 9_000));
    assertFalse(f.isTimeMatched(T0 + 4_001, T0 + 9_000));
  }

  @Test
  void storeTimeBeforeBeginCountsAsBegin() {
    IndexFile f = open("a");
    f.putKey("k", 1, T0);
    f.putKey("k", 2, T0 - 60_000);
    assertEquals(List.of(2L, 1L), select(f, "k", 10, T0, T0));
  }

  @Test
  void stopsAtMaxNumAndSkipsOffsetsAlreadyCollected() {
    IndexFile f = open("a");
    for (int i = 1; i <= 10; i++) {
      f.putKey("k", i, T0);
    }
    assertEquals(List.of(10L, 9L, 8L), select(f, "k", 3, 0, Long.MAX_VALUE));
    List<Long> out = new ArrayList<>(List.of(10L, 9L));
    f.select("k", 4, 0, Long.MAX_VALUE, out);
    assertEquals(List.of(10L, 9L, 8L, 7L), out);
  }

  @Test
  void refusesKeysWhenFull() {
    IndexFile f = open("a");
    for (int i = 1; i < ENTRIES; i++) {
      assertTrue(f.putKey("k" + i, i, T0), "entry " + i);
    }
    assertTrue(f.isFull());
    assertFalse(f.putKey("one-more", 999, T0));
    assertEquals(ENTRIES, f.indexCount());
    assertEquals(ENTRIES - 1, f.endPhyOffset());
    assertEquals(List.of(5L), selectAll(f, "k5"));
  }

  @Test
  void reopenReadsTheHeaderAndEntries() {
    IndexFile f = open("a");
    f.putKey("k", 100, T0);
    f.putKey("k", 200, T0 + 5_000);
    f.close();
    IndexFile again = open("a");
    assertEquals(3, again.indexCount());
    assertEquals(T0, again.beginTimestamp());
    assertEquals(T0 + 5_000, again.endTimestamp());
    assertEquals(100, again.beginPhyOffset());
    assertEquals(200, again.endPhyOffset());
    assertEquals(List.of(200L, 100L), selectAll(again, "k"));
    assertTrue(again.putKey("k", 300, T0 + 6_000));
    assertEquals(List.of(300L, 200L, 100L), selectAll(again, "k"));
  }

  @Test
  void reopenRestoresSlotLeftPointingAtAnUncountedEntry() throws IOException {
    IndexFile f = open("a");
    List<String> keys = keysInSlot(3, 2);
    f.putKey(keys.get(0), 100, T0);
    f.close();
    // What a crash after storing the slot but before counting the entry leaves behind.
    int hash = IndexFile.keyHash(keys.get(1));
    try (FileChannel ch = FileChannel.open(dir.resolve("a"), StandardOpenOption.WRITE)) {
      ByteBuffer entry = ByteBuffer.allocate(20).putInt(hash).putLong(200).putInt(0).putInt(1);
      ch.write(entry.flip(), 40 + SLOTS * 4 + 2 * 20);
      ch.write(ByteBuffer.allocate(4).putInt(2).flip(), 40 + 3 * 4);
    }
    IndexFile again = open("a");
    assertEquals(2, again.indexCount());
    assertEquals(List.of(100L), selectAll(again, keys.get(0)));
    assertTrue(again.putKey("elsewhere", 300, T0), "overwrites the uncounted entry");
    assertEquals(List.of(100L), selectAll(again, keys.get(0)));
    assertEquals(List.of(300L), selectAll(again, "elsewhere"));
  }

  @Test
  void refusesAnExistingFileOfAnotherSize() {
    IndexFile f = open("a");
    f.close();
    assertThrows(IllegalStateException.class, () -> IndexFile.open(dir.resolve("a"), 32, ENTRIES));
  }

  @Test
  void destroyDeletesTheFile() {
    IndexFile f = open("a");
    f.putKey("k", 1, T0);
    assertTrue(f.destroy());
    assertFalse(Files.exists(dir.resolve("a")));
    assertEquals(List.of(), selectAll(f, "k"), "a destroyed file answers nothing");
  }
}
