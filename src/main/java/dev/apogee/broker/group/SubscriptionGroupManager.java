package dev.apogee.broker.group;

import dev.apogee.broker.state.JsonFile;
import dev.apogee.protocol.BodyFormatException;
import dev.apogee.protocol.JsonIn;
import dev.apogee.protocol.JsonOut;
import dev.apogee.protocol.ProtocolJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broker's consumer groups, saved to {@code config/subscriptionGroup.json} on every change in
 * RocketMQ's shape, {@code {"subscriptionGroupTable":{"group":{...}}}} (other fields of a file
 * written by RocketMQ are skipped). Groups are created on first use when {@code
 * autoCreateSubscriptionGroup} is on, as RocketMQ does for a heartbeat or pull of an unknown group.
 *
 * <p>Thread-safe: lookups from every event loop; a change updates memory at once and schedules a
 * save on the persist executor.
 */
public final class SubscriptionGroupManager {
  private static final String TABLE = "subscriptionGroupTable";

  private final JsonFile file;
  private final boolean autoCreate;
  private final Executor persistExecutor;
  private final AtomicBoolean saveScheduled = new AtomicBoolean();
  private final ConcurrentHashMap<String, SubscriptionGroupConfig> groups =
      new ConcurrentHashMap<>();

  /** Saves run on {@code persistExecutor} (a worker), never on the changing thread. */
  public SubscriptionGroupManager(JsonFile file, boolean autoCreate, Executor persistExecutor) {
    this.file = file;
    this.autoCreate = autoCreate;
    this.persistExecutor = persistExecutor;
  }

  /** Loads the saved groups (none when the file does not exist). */
  public void load() {
    byte[] content = file.read();
    if (content == null) {
      return;
    }
    try {
      groups.putAll(ProtocolJson.readTolerant(content, SubscriptionGroupManager::readTable));
    } catch (BodyFormatException e) {
      throw new IllegalStateException(
          "cannot read consumer groups from " + file.path() + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, SubscriptionGroupConfig> readTable(JsonIn in) {
    Map<String, SubscriptionGroupConfig> table = null;
    in.beginObject("SubscriptionGroupWrapper");
    while (in.nextField()) {
      if (in.fieldName().equals(TABLE)) {
        table = in.map(SubscriptionGroupConfig::readJson);
      } else {
        in.skipValue();
      }
    }
    return table == null ? Map.of() : table;
  }

  /** The group, or null when unknown. */
  public SubscriptionGroupConfig find(String group) {
    return groups.get(group);
  }

  /** The group, created with RocketMQ's defaults when unknown and auto-creation is on; or null. */
  public SubscriptionGroupConfig findOrCreate(String group) {
    SubscriptionGroupConfig g = groups.get(group);
    if (g != null || !autoCreate) {
      return g;
    }
    SubscriptionGroupConfig created = SubscriptionGroupConfig.defaults(group);
    SubscriptionGroupConfig prev = groups.putIfAbsent(group, created);
    if (prev != null) {
      return prev;
    }
    persist();
    return created;
  }

  /** Creates or replaces a group and saves. */
  public void update(SubscriptionGroupConfig config) {
    groups.put(config.groupName(), config);
    persist();
  }

  /** Deletes a group and saves; returns whether it existed. */
  public boolean delete(String group) {
    boolean removed = groups.remove(group) != null;
    if (removed) {
      persist();
    }
    return removed;
  }

  /** Every group (a copy). */
  public List<SubscriptionGroupConfig> all() {
    return new ArrayList<>(groups.values());
  }

  private void persist() {
    if (saveScheduled.compareAndSet(false, true)) {
      persistExecutor.execute(
          () -> {
            saveScheduled.set(false);
            save();
          });
    }
  }

  /** Saves now (blocking). */
  public synchronized void save() {
    Map<String, SubscriptionGroupConfig> table = new TreeMap<>(groups);
    file.write(
        ProtocolJson.writePretty(
            out -> out.beginObject().field(TABLE, table, JsonOut::value).endObject()));
  }
}
