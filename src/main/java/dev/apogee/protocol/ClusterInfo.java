package dev.apogee.protocol;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every broker group and the cluster each belongs to, the body of a GET_BROKER_CLUSTER_INFO answer
 * (rocketmq-protocol.md 2.3). Immutable; maps and sets sorted by name.
 *
 * @param brokerAddrTable brokerName to its group
 * @param clusterAddrTable clusterName to the names of its broker groups
 */
public record ClusterInfo(
    Map<String, BrokerData> brokerAddrTable, Map<String, Set<String>> clusterAddrTable)
    implements JsonBody {

  public ClusterInfo {
    brokerAddrTable = Copies.sortedMap(brokerAddrTable);
    Map<String, Set<String>> clusters = new TreeMap<>();
    if (clusterAddrTable != null) {
      clusterAddrTable.forEach((cluster, names) -> clusters.put(cluster, Copies.sortedSet(names)));
    }
    clusterAddrTable = Copies.sortedMap(clusters);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerAddrTable", brokerAddrTable, JsonOut::value)
        .field("clusterAddrTable", clusterAddrTable, (o, names) -> o.array(names, JsonOut::value))
        .endObject();
  }

  /** Reads the cluster info. */
  public static ClusterInfo readJson(JsonIn in) {
    Map<String, BrokerData> brokerAddrTable = null;
    Map<String, Set<String>> clusterAddrTable = null;
    in.beginObject("ClusterInfo");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "brokerAddrTable" -> brokerAddrTable = in.map(BrokerData::readJson);
        case "clusterAddrTable" -> clusterAddrTable = in.map(JsonIn::stringSet);
        default -> in.skipValue();
      }
    }
    return new ClusterInfo(brokerAddrTable, clusterAddrTable);
  }
}
