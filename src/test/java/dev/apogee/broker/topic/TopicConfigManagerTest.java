package dev.apogee.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.broker.state.JsonFile;
import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicConfigManagerTest {
  @TempDir Path dir;

  private TopicConfigManager manager() {
    return new TopicConfigManager(
        new JsonFile(dir.resolve("config/topics.json")), Runnable::run, () -> 1000L);
  }

  @Test
  void createsATopicFromTbw102OnFirstSendAsRocketMqDoes() {
    TopicConfigManager m = manager();
    m.load(true, 8, "DefaultCluster", "broker-a");
    TopicConfig tbw = m.find("TBW102");
    assertEquals(7, tbw.perm());
    assertEquals(8, tbw.writeQueueNums());
    AtomicInteger changes = new AtomicInteger();
    m.onChange(changes::incrementAndGet);
    TopicConfig t = m.createFromDefault("Orders", "TBW102", 4);
    assertEquals(4, t.readQueueNums());
    assertEquals(4, t.writeQueueNums());
    assertEquals(Perm.READ | Perm.WRITE, t.perm());
    assertEquals(1, changes.get());
    assertEquals(1, m.dataVersion().counter());
    assertEquals(t, m.createFromDefault("Orders", "TBW102", 4));
    assertEquals(1, changes.get(), "an existing topic is not created again");
  }

  @Test
  void refusesAutoCreationWithoutAnInheritableDefault() {
    TopicConfigManager m = manager();
    m.load(false, 8, "DefaultCluster", "broker-a");
    assertNull(m.find("TBW102"));
    assertNull(m.createFromDefault("Orders", "TBW102", 4));
    assertNull(m.createFromDefault("Orders", "SELF_TEST_TOPIC", 4));
  }

  @Test
  void keepsTopicsAndTheDataVersionAcrossARestart() {
    TopicConfigManager m = manager();
    m.load(true, 8, "DefaultCluster", "broker-a");
    m.update(TopicConfig.of("Payments", 2, 2, 6));
    m.createIfAbsent("%RETRY%cg", 1, 6);
    assertTrue(m.delete("Payments"));
    m.update(TopicConfig.of("Audit", 3, 3, 6));
    TopicConfigManager again = manager();
    again.load(true, 8, "DefaultCluster", "broker-a");
    assertNotNull(again.find("%RETRY%cg"));
    assertNull(again.find("Payments"));
    assertEquals(3, again.find("Audit").writeQueueNums());
    assertEquals(m.dataVersion(), again.dataVersion());
  }

  /** {@code topics.json} as the previous version wrote it after adding topic Audit. */
  private static final String SAVED =
      "{\"dataVersion\":{\"counter\":1,\"stateVersion\":0,\"timestamp\":1000},"
          + "\"topicConfigTable\":{\"Audit\":{\"attributes\":{},\"order\":false,\"perm\":6,"
          + "\"readQueueNums\":3,\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"Audit\","
          + "\"topicSysFlag\":0,\"writeQueueNums\":3},\"DefaultCluster\":{\"attributes\":{},"
          + "\"order\":false,\"perm\":7,\"readQueueNums\":16,\"topicFilterType\":\"SINGLE_TAG\","
          + "\"topicName\":\"DefaultCluster\",\"topicSysFlag\":0,\"writeQueueNums\":16},"
          + "\"OFFSET_MOVED_EVENT\":{\"attributes\":{},\"order\":false,\"perm\":6,"
          + "\"readQueueNums\":1,\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":"
          + "\"OFFSET_MOVED_EVENT\",\"topicSysFlag\":0,\"writeQueueNums\":1},\"SELF_TEST_TOPIC\":"
          + "{\"attributes\":{},\"order\":false,\"perm\":6,\"readQueueNums\":1,"
          + "\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"SELF_TEST_TOPIC\",\"topicSysFlag\":0,"
          + "\"writeQueueNums\":1},\"TBW102\":{\"attributes\":{},\"order\":false,\"perm\":7,"
          + "\"readQueueNums\":8,\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"TBW102\","
          + "\"topicSysFlag\":0,\"writeQueueNums\":8},\"broker-a\":{\"attributes\":{},"
          + "\"order\":false,\"perm\":7,\"readQueueNums\":1,\"topicFilterType\":\"SINGLE_TAG\","
          + "\"topicName\":\"broker-a\",\"topicSysFlag\":0,\"writeQueueNums\":1}}}";

  @Test
  void writesTheFileAsBefore() throws Exception {
    TopicConfigManager m = manager();
    m.load(true, 8, "DefaultCluster", "broker-a");
    m.update(TopicConfig.of("Audit", 3, 3, 6));

    assertEquals(
        SAVED, Files.readString(dir.resolve("config/topics.json"), StandardCharsets.UTF_8));
  }

  @Test
  void loadsAFileThePreviousVersionWrote() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(dir.resolve("config/topics.json"), SAVED);

    TopicConfigManager m = manager();
    m.load(true, 8, "DefaultCluster", "broker-a");

    assertEquals(TopicConfig.of("Audit", 3, 3, 6), m.find("Audit"));
    assertEquals(new DataVersion(1000, 1, 0), m.dataVersion());
  }

  @Test
  void refusesACorruptFileWithItsPath() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(
        dir.resolve("config/topics.json"), "{\"topicConfigTable\":{\"T\":{\"perm\":6}}}");

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> manager().load(true, 8, "DefaultCluster", "broker-a"));
    assertTrue(e.getMessage().contains("topics.json"), e.getMessage());
    assertTrue(e.getMessage().contains("missing field topicName"), e.getMessage());
  }
}
