package dev.apogee.namesrv;

import dev.apogee.protocol.JsonBody;
import dev.apogee.protocol.JsonIn;
import dev.apogee.protocol.JsonOut;
import dev.apogee.protocol.KvTable;
import dev.apogee.protocol.ProtocolJson;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The name server's configuration entries, namespace to key to value: PUT_KV_CONFIG, GET_KV_CONFIG,
 * DELETE_KV_CONFIG and GET_KVLIST_BY_NAMESPACE. The namespace {@value #ORDER_TOPIC_CONFIG} holds
 * the {@code orderTopicConf} of ordered topics.
 *
 * <p>Kept in memory only: the caller writes {@link #snapshot()} to disk after each change and
 * passes it to {@link #load} at start. The snapshot is RocketMQ's {@code kvConfig.json}, {@code
 * {"configTable":{"namespace":{"key":"value"}}}}, so an existing file loads.
 *
 * <p>Threading: every public method is {@code synchronized} on the store; any thread may call any
 * method.
 */
public final class KvConfigStore {

  /** The namespace of ordered topics' queue layouts, e.g. key {@code T1}, value {@code "a:4"}. */
  public static final String ORDER_TOPIC_CONFIG = "ORDER_TOPIC_CONFIG";

  private final Map<String, Map<String, String>> configTable = new TreeMap<>();

  /**
   * Sets {@code key} in {@code namespace} to {@code value}.
   *
   * @return the value it replaced, if any
   */
  public synchronized Optional<String> put(String namespace, String key, String value) {
    Objects.requireNonNull(value, "value");
    return Optional.ofNullable(
        configTable
            .computeIfAbsent(Objects.requireNonNull(namespace, "namespace"), n -> new TreeMap<>())
            .put(Objects.requireNonNull(key, "key"), value));
  }

  /** The value of {@code key} in {@code namespace}, if set. */
  public synchronized Optional<String> get(String namespace, String key) {
    Map<String, String> entries = configTable.get(namespace);
    return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(key));
  }

  /**
   * Removes {@code key} from {@code namespace}. The namespace stays, empty, as in RocketMQ: listing
   * it still succeeds.
   *
   * @return whether the key was set
   */
  public synchronized boolean delete(String namespace, String key) {
    Map<String, String> entries = configTable.get(namespace);
    return entries != null && entries.remove(key) != null;
  }

  /** Every entry of {@code namespace}, or empty if nothing was ever put there. */
  public synchronized Optional<KvTable> list(String namespace) {
    Map<String, String> entries = configTable.get(namespace);
    return entries == null ? Optional.empty() : Optional.of(new KvTable(entries));
  }

  /** All entries as {@code kvConfig.json} text. */
  public synchronized String snapshot() {
    return ProtocolJson.writeString(new KvConfigFile(configTable));
  }

  /**
   * Replaces all entries with those of {@code json}, as written by {@link #snapshot()} or by
   * RocketMQ's name server.
   *
   * @throws dev.apogee.protocol.BodyFormatException if {@code json} is not such a file; the entries
   *     are then left as they were
   */
  public synchronized void load(String json) {
    KvConfigFile file = ProtocolJson.readTolerant(json, KvConfigFile::readJson);
    Map<String, Map<String, String>> loaded = new TreeMap<>();
    if (file.configTable() != null) {
      file.configTable()
          .forEach((namespace, entries) -> loaded.put(namespace, new TreeMap<>(entries)));
    }
    configTable.clear();
    configTable.putAll(loaded);
  }

  /** The layout of {@code kvConfig.json}. */
  record KvConfigFile(Map<String, Map<String, String>> configTable) implements JsonBody {

    @Override
    public void writeJson(JsonOut out) {
      out.beginObject()
          .field("configTable", configTable, (o, entries) -> o.map(entries, JsonOut::value))
          .endObject();
    }

    static KvConfigFile readJson(JsonIn in) {
      Map<String, Map<String, String>> configTable = null;
      in.beginObject("KVConfigSerializeWrapper");
      while (in.nextField()) {
        if (in.fieldName().equals("configTable")) {
          configTable = in.map(JsonIn::stringMap);
        } else {
          in.skipValue();
        }
      }
      return new KvConfigFile(configTable);
    }
  }
}
