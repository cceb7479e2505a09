package dev.apogee.broker;

import dev.apogee.config.ConfigLoader;
import dev.apogee.config.RuntimeSettings;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The broker's settings as the admin tool reads and changes them (GET_BROKER_CONFIG,
 * UPDATE_BROKER_CONFIG), under RocketMQ's key names: the broker and store settings as read at
 * start, which refuse changes, and the live ones, which change at once:
 *
 * <ul>
 *   <li>{@value #VALIDATE_SYSTEM_TOPIC} (true): topic creation, update and deletion by the admin
 *       tool refuse RocketMQ's system topics;
 *   <li>{@value #AUTO_DELETE_UNUSED_STATS} (true): deleting a topic or a consumer group drops its
 *       stats items.
 * </ul>
 *
 * <p>RocketMQ's paths of its own files ({@code brokerConfigPath}, {@code rocketmqHome}, {@code
 * configBlackList}) are refused with its own remark. Changes live in memory until the broker stops.
 *
 * <p>One instance per broker, shared by the verticle instances that serve its port: it is kept in
 * the Vert.x instance's local shared data under the broker's store directory and made at the first
 * admin request that needs it. Thread-safe ({@link RuntimeSettings}).
 */
public final class BrokerSettings implements Shareable {
  /** Live: whether the admin tool's topic requests refuse system topics. */
  public static final String VALIDATE_SYSTEM_TOPIC = "validateSystemTopicWhenUpdateTopic";

  /** Live: whether deleting a topic or group drops its stats. */
  public static final String AUTO_DELETE_UNUSED_STATS = "autoDeleteUnusedStats";

  private static final String SHARED_MAP = "apogee.broker.settings";

  /** The store of the broker the settings belong to: a broker started later gets its own. */
  private final Object owner;

  private final RuntimeSettings settings;

  private BrokerSettings(BrokerServices broker) {
    this.owner = broker.store();
    Map<String, String> shown = new TreeMap<>();
    shown.putAll(components(broker.config()));
    shown.putAll(components(broker.storeConfig()));
    shown.put("brokerAddr", broker.brokerAddr());
    this.settings =
        RuntimeSettings.builder(
                "broker", ManagementFactory.getRuntimeMXBean().getStartTime(), broker::now)
            .fixed(shown)
            .readAtStart(RuntimeSettings.keysReadAtStart(ConfigLoader.Role.BROKER))
            .blackList(List.of("brokerConfigPath", "rocketmqHome", "configBlackList"))
            .live(VALIDATE_SYSTEM_TOPIC, "true", RuntimeSettings.BOOLEAN)
            .live(AUTO_DELETE_UNUSED_STATS, "true", RuntimeSettings.BOOLEAN)
            .build();
  }

  /** The settings of {@code broker}, made at the first call. */
  public static RuntimeSettings of(BrokerServices broker) {
    LocalMap<String, BrokerSettings> shared = broker.vertx().sharedData().getLocalMap(SHARED_MAP);
    String key = broker.storeConfig().storePathRootDir().toAbsolutePath().normalize().toString();
    BrokerSettings s = shared.get(key);
    if (s == null || s.owner != broker.store()) {
      s =
          shared.compute(
              key,
              (k, old) ->
                  old != null && old.owner == broker.store() ? old : new BrokerSettings(broker));
    }
    return s.settings;
  }

  // A null value (namesrvAddr without name servers) is left out, as RocketMQ leaves out unset ones.
  private static Map<String, String> components(Record settings) {
    Map<String, String> out = new TreeMap<>();
    for (RecordComponent rc : settings.getClass().getRecordComponents()) {
      try {
        Object v = rc.getAccessor().invoke(settings);
        out.put(rc.getName(), v == null ? null : v.toString());
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(
            "cannot read setting " + rc.getName() + " of " + settings.getClass().getSimpleName(),
            e);
      }
    }
    return out;
  }
}
