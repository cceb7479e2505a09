package dev.apogee.broker.offset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.broker.state.JsonFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerOffsetManagerTest {
  @TempDir Path dir;

  private ConsumerOffsetManager manager() {
    return new ConsumerOffsetManager(new JsonFile(dir.resolve("config/consumerOffset.json")));
  }

  @Test
  void keepsCommittedOffsetsAcrossARestart() {
    ConsumerOffsetManager m = manager();
    m.commit("g1", "T", 0, 5);
    m.commit("g1", "T", 3, 17);
    m.commit("g2", "T", 0, 1);
    m.commit("g1", "%RETRY%g1", 0, 2);
    assertTrue(m.persist());
    assertFalse(m.persist(), "nothing changed, nothing written");

    ConsumerOffsetManager again = manager();
    again.load();
    assertEquals(5, again.query("g1", "T", 0));
    assertEquals(17, again.query("g1", "T", 3));
    assertEquals(1, again.query("g2", "T", 0));
    assertEquals(-1, again.query("g2", "T", 3));
    assertEquals(Map.of(0, 5L, 3, 17L), again.offsets("g1", "T"));
    assertEquals(Set.of("T", "%RETRY%g1"), again.topicsOf("g1"));
    assertEquals(Set.of("g1", "g2"), again.groupsOf("T"));
  }

  @Test
  void writesRocketMqsFileShape() throws Exception {
    ConsumerOffsetManager m = manager();
    m.commit("g", "T", 2, 9);
    m.persist();
    String json =
        Files.readString(dir.resolve("config/consumerOffset.json"), StandardCharsets.UTF_8);
    assertTrue(json.replaceAll("\\s", "").contains("\"offsetTable\":{\"T@g\":{\"2\":9}}"), json);
    assertFalse(Files.exists(dir.resolve("config/consumerOffset.json.tmp")));
  }

  @Test
  void writesTheFileLaidOutAsBeforeWithQueuesInNumericOrder() throws Exception {
    ConsumerOffsetManager m = manager();
    m.commit("g1", "T", 0, 5);
    m.commit("g1", "T", 10, 17);
    m.commit("g1", "T", 2, 3);
    m.commit("g2", "%RETRY%g2", 0, 1);
    m.persist();

    assertEquals(
        """
        {
          "offsetTable" : {
            "%RETRY%g2@g2" : {
              "0" : 1
            },
            "T@g1" : {
              "0" : 5,
              "2" : 3,
              "10" : 17
            }
          }
        }""",
        Files.readString(dir.resolve("config/consumerOffset.json"), StandardCharsets.UTF_8));
  }

  @Test
  void loadsAFileRocketMqWroteWithUnquotedQueueIdsAndOtherFields() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(
        dir.resolve("config/consumerOffset.json"),
        """
        {
        	"dataVersion":{"counter":3,"stateVersion":0,"timestamp":1700000000000},
        	"offsetTable":{
        		"T@g":{0:5,1:9},
        		"%RETRY%g@g":{0:0}
        	},
        	"pullOffsetTable":{}
        }
        """);

    ConsumerOffsetManager m = manager();
    m.load();

    assertEquals(Map.of(0, 5L, 1, 9L), m.offsets("g", "T"));
    assertEquals(0, m.query("g", "%RETRY%g", 0));
  }

  @Test
  void forgetsOffsetsOfADeletedTopic() {
    ConsumerOffsetManager m = manager();
    m.commit("g", "T", 0, 4);
    m.commit("g", "U", 0, 4);
    m.removeTopic("T");
    assertEquals(-1, m.query("g", "T", 0));
    assertEquals(4, m.query("g", "U", 0));
  }

  @Test
  void refusesACorruptFileWithItsPath() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    for (String corrupt :
        new String[] {
          "{\"offsetTable\":{\"T@g\":{\"x\":1}}}",
          "{\"offsetTable\":{\"T@g\":{\"0\":\"one\"}}}",
          "{\"offsetTable\":{\"T@g\":[1]}}",
          "{\"offsetTable\":{\"T@g\":{\"0\":1}}",
          ""
        }) {
      Files.writeString(dir.resolve("config/consumerOffset.json"), corrupt);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> manager().load());
      assertTrue(e.getMessage().contains("consumerOffset.json"), e.getMessage());
    }
  }

  @Test
  void aCloneReplacesTheDestinationsOffsetsOnTheTopicAndIsSaved() {
    ConsumerOffsetManager m = manager();
    m.commit("src", "T", 0, 5);
    m.commit("src", "T", 1, 7);
    m.commit("src", "U", 0, 3);
    m.commit("dest", "T", 2, 99);
    m.commit("dest", "U", 0, 1);
    assertTrue(m.persist());

    assertEquals(2, m.cloneOffsets("src", "dest", "T"));
    assertEquals(Map.of(0, 5L, 1, 7L), m.offsets("dest", "T"), "queue 2 of dest is replaced");
    assertEquals(Map.of(0, 1L), m.offsets("dest", "U"), "other topics keep their offsets");
    m.commit("src", "T", 0, 6);
    assertEquals(5, m.query("dest", "T", 0), "a copy, not a shared table");
    assertEquals(0, m.cloneOffsets("src", "dest", "V"));
    assertEquals(Set.of("T", "U"), m.topicsOf("dest"));

    assertTrue(m.persist(), "the clone is saved with the next save");
    ConsumerOffsetManager again = manager();
    again.load();
    assertEquals(Map.of(0, 5L, 1, 7L), again.offsets("dest", "T"));
  }
}
