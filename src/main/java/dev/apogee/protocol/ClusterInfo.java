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
    Map<String, BrokerData> brokerAddrTable, Map<String, Set<String>> clusterAddrTable) {

  public ClusterInfo {
    brokerAddrTable = Copies.sortedMap(brokerAddrTable);
    Map<String, Set<String>> clusters = new TreeMap<>();
    if (clusterAddrTable != null) {
      clusterAddrTable.forEach((cluster, names) -> clusters.put(cluster, Copies.sortedSet(names)));
    }
    clusterAddrTable = Copies.sortedMap(clusters);
  }
}
