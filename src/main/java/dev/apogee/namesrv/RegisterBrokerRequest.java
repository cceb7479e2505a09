package dev.apogee.namesrv;

import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.RegisterBrokerBody;
import dev.apogee.protocol.TopicConfig;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One REGISTER_BROKER request, its header fields and its body together (rocketmq-protocol.md 2.3).
 * Immutable; topics sorted by name.
 *
 * @param clusterName the broker's cluster
 * @param brokerName the broker group
 * @param brokerAddr {@code ip:port} clients reach the broker on
 * @param haServerAddr {@code ip:port} slaves replicate from
 * @param brokerId 0 for the master, 1 and up for slaves
 * @param heartbeatTimeoutMillis the broker expires this long after its last registration; {@link
 *     #DEFAULT_HEARTBEAT_TIMEOUT_MILLIS} when the header has none
 * @param enableActingMaster whether a slave may act as master while the master is away; {@code
 *     false} when the header has none
 * @param zoneName the broker's zone, or {@code null}
 * @param topicConfigTable topic name to configuration; a slave's is ignored while its master is
 *     registered
 * @param dataVersion the version of {@code topicConfigTable}
 */
public record RegisterBrokerRequest(
    String clusterName,
    String brokerName,
    String brokerAddr,
    String haServerAddr,
    long brokerId,
    long heartbeatTimeoutMillis,
    boolean enableActingMaster,
    String zoneName,
    Map<String, TopicConfig> topicConfigTable,
    DataVersion dataVersion) {

  /** How long a broker that sends no timeout stays registered without re-registering: 120 s. */
  public static final long DEFAULT_HEARTBEAT_TIMEOUT_MILLIS = 120_000L;

  public RegisterBrokerRequest {
    requireText("clusterName", clusterName);
    requireText("brokerName", brokerName);
    requireText("brokerAddr", brokerAddr);
    if (brokerId < 0) {
      throw new IllegalArgumentException("brokerId must be 0 or more, was " + brokerId);
    }
    if (heartbeatTimeoutMillis <= 0) {
      throw new IllegalArgumentException(
          "heartbeatTimeoutMillis must be positive, was " + heartbeatTimeoutMillis);
    }
    topicConfigTable = Collections.unmodifiableSortedMap(new TreeMap<>(topicConfigTable));
    Objects.requireNonNull(dataVersion, "dataVersion");
  }

  /**
   * The request of a broker that sends the default timeout, acting master off, no zone, and {@code
   * body} as the body.
   */
  public static RegisterBrokerRequest of(
      String clusterName,
      String brokerName,
      String brokerAddr,
      String haServerAddr,
      long brokerId,
      RegisterBrokerBody body) {
    return new RegisterBrokerRequest(
        clusterName,
        brokerName,
        brokerAddr,
        haServerAddr,
        brokerId,
        DEFAULT_HEARTBEAT_TIMEOUT_MILLIS,
        false,
        null,
        body.topicConfigSerializeWrapper().topicConfigTable(),
        body.topicConfigSerializeWrapper().dataVersion());
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty, was " + value);
    }
  }
}
