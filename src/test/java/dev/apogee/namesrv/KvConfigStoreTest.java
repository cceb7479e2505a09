package dev.apogee.namesrv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.protocol.BodyFormatException;
import dev.apogee.protocol.KvTable;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvConfigStoreTest {
  private final KvConfigStore store = new KvConfigStore();

  @Test
  void putThenGetReturnsTheValueAndPutReportsWhatItReplaced() {
    assertEquals(Optional.empty(), store.put(KvConfigStore.ORDER_TOPIC_CONFIG, "T1", "a:4"));
    assertEquals(Optional.of("a:4"), store.put(KvConfigStore.ORDER_TOPIC_CONFIG, "T1", "a:8"));

    assertEquals(Optional.of("a:8"), store.get(KvConfigStore.ORDER_TOPIC_CONFIG, "T1"));
    assertEquals(Optional.empty(), store.get(KvConfigStore.ORDER_TOPIC_CONFIG, "T2"));
    assertEquals(Optional.empty(), store.get("other", "T1"));
  }

  @Test
  void listReturnsEveryEntryOfANamespace() {
    store.put("ns", "b", "2");
    store.put("ns", "a", "1");
    store.put("other", "c", "3");

    assertEquals(Optional.of(new KvTable(Map.of("a", "1", "b", "2"))), store.list("ns"));
    assertEquals(Optional.empty(), store.list("unknown"));
  }

  @Test
  void deleteRemovesTheKeyAndLeavesTheNamespaceListableAndEmpty() {
    store.put("ns", "a", "1");

    assertTrue(store.delete("ns", "a"));
    assertFalse(store.delete("ns", "a"));
    assertFalse(store.delete("unknown", "a"));
    assertEquals(Optional.of(new KvTable(Map.of())), store.list("ns"));
  }

  @Test
  void snapshotIsRocketMqsKvConfigFileAndLoadsBack() {
    store.put("ORDER_TOPIC_CONFIG", "T1", "broker-a:4");
    store.put("ns", "k", "v");

    String snapshot = store.snapshot();
    KvConfigStore loaded = new KvConfigStore();
    loaded.load(snapshot);

    assertEquals(
        "{\"configTable\":{\"ORDER_TOPIC_CONFIG\":{\"T1\":\"broker-a:4\"},\"ns\":{\"k\":\"v\"}}}",
        snapshot);
    assertEquals(Optional.of("broker-a:4"), loaded.get("ORDER_TOPIC_CONFIG", "T1"));
    assertEquals(Optional.of("v"), loaded.get("ns", "k"));
  }

  @Test
  void loadReplacesEveryEntryWithThoseOfAPrettyPrintedFile() {
    store.put("old", "k", "v");

    store.load(
        """
        {
        \t"configTable":{
        \t\t"ORDER_TOPIC_CONFIG":{
        \t\t\t"T1":"broker-a:4;broker-b:4"
        \t\t}
        \t}
        }
        """);

    assertEquals(Optional.empty(), store.list("old"));
    assertEquals(Optional.of("broker-a:4;broker-b:4"), store.get("ORDER_TOPIC_CONFIG", "T1"));
  }

  @Test
  void failedLoadLeavesTheEntriesAsTheyWere() {
    store.put("ns", "k", "v");

    assertThrows(BodyFormatException.class, () -> store.load("{\"configTable\":"));

    assertEquals(Optional.of("v"), store.get("ns", "k"));
  }
}
