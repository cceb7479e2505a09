package dev.apogee.broker.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.broker.state.JsonFile;
import dev.apogee.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelayOffsetTableTest {
  @TempDir Path dir;

  @Test
  void savesRocketMqsShapeAndLoadsItBack() throws Exception {
    Path f = dir.resolve("config/delayOffset.json");
    DelayOffsetTable t = new DelayOffsetTable(new JsonFile(f), 3, 1_700_000_000_000L);
    t.set(1, 5);
    t.set(3, 7);
    assertTrue(t.save());
    String json = Files.readString(f);
    assertTrue(json.contains("\"offsetTable\""), json);
    assertTrue(json.contains("\"dataVersion\""), json);
    Map<Integer, Long> table =
        ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), DelayOffsetTable::readTable);
    assertEquals(Map.of(1, 5L, 2, 0L, 3, 7L), table);

    DelayOffsetTable loaded = new DelayOffsetTable(new JsonFile(f), 2, 0);
    loaded.load();
    assertEquals(5, loaded.offset(1));
    assertEquals(0, loaded.offset(2));
  }

  @Test
  void readsRocketMqsOwnFileWithUnquotedLevels() throws Exception {
    Path f = dir.resolve("delayOffset.json");
    Files.writeString(
        f,
        "{\"dataVersion\":{\"counter\":3,\"stateVersion\":0,\"timestamp\":1},"
            + "\"offsetTable\":{1:12,2:4}}");
    DelayOffsetTable t = new DelayOffsetTable(new JsonFile(f), 18, 0);
    t.load();
    assertEquals(12, t.offset(1));
    assertEquals(4, t.offset(2));
  }

  @Test
  void anOlderSnapshotNeverOverwritesANewerOne() throws Exception {
    Path f = dir.resolve("delayOffset.json");
    DelayOffsetTable t = new DelayOffsetTable(new JsonFile(f), 1, 0);
    t.set(1, 4);
    assertTrue(t.save());
    assertFalse(t.save(), "nothing moved since the last save");
    t.set(1, 9);
    assertTrue(t.save());
    DelayOffsetTable loaded = new DelayOffsetTable(new JsonFile(f), 1, 0);
    loaded.load();
    assertEquals(9, loaded.offset(1));
  }

  @Test
  void aMalformedFileStopsTheStartNamingIt() throws Exception {
    Path f = dir.resolve("delayOffset.json");
    Files.writeString(f, "{\"offsetTable\":{\"one\":1}}");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> new DelayOffsetTable(new JsonFile(f), 2, 0).load());
    assertTrue(e.getMessage().contains("delayOffset.json"), e.getMessage());
  }
}
