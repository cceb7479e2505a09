package dev.apogee.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * A broker group: its name, cluster and the address of each member (rocketmq-protocol.md 2.2).
 * Immutable.
 *
 * <p>{@code brokerAddrs} maps brokerId to {@code "ip:port"}; id {@value #MASTER_ID} is the master.
 * It is written with quoted keys ({@code {"0":"..."}}), which every 5.x client reads.
 *
 * @param cluster the cluster the group belongs to
 * @param brokerName the group's name
 * @param brokerAddrs brokerId to address, sorted by id
 * @param zoneName the zone, or {@code null} (then not written)
 * @param enableActingMaster whether a slave may act as master while the master is away
 */
public record BrokerData(
    String cluster,
    String brokerName,
    Map<Long, String> brokerAddrs,
    String zoneName,
    boolean enableActingMaster)
    implements JsonBody {

  /** The brokerId of a group's master. */
  public static final long MASTER_ID = 0L;

  public BrokerData {
    brokerAddrs = Copies.sortedMap(brokerAddrs);
  }

  /** The master's address, if the group has a master. */
  public Optional<String> masterAddr() {
    return Optional.ofNullable(brokerAddrs.get(MASTER_ID));
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerAddrs", brokerAddrs, JsonOut::value)
        .field("brokerName", brokerName)
        .field("cluster", cluster)
        .field("enableActingMaster", enableActingMaster)
        .field("zoneName", zoneName)
        .endObject();
  }

  /** Reads a broker group; each key of {@code brokerAddrs} must be a number. */
  public static BrokerData readJson(JsonIn in) {
    String cluster = null;
    String brokerName = null;
    Map<Long, String> brokerAddrs = null;
    String zoneName = null;
    boolean enableActingMaster = false;
    in.beginObject("BrokerData");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "cluster" -> cluster = in.string();
        case "brokerName" -> brokerName = in.string();
        case "brokerAddrs" -> brokerAddrs = in.map(Long::valueOf, JsonIn::string);
        case "zoneName" -> zoneName = in.string();
        case "enableActingMaster" -> enableActingMaster = in.bool();
        default -> in.skipValue();
      }
    }
    return new BrokerData(cluster, brokerName, brokerAddrs, zoneName, enableActingMaster);
  }
}
