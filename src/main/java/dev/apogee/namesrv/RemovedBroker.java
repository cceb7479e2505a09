package dev.apogee.namesrv;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One broker address taken out of the route table by an unregister, an expiry or a closed
 * connection, for the caller to close its connection and log it once. Immutable.
 *
 * @param clusterName the broker's cluster
 * @param brokerName the broker group it belonged to
 * @param brokerAddr its address
 * @param brokerId its id in the group
 * @param lastOfBrokerName whether it was the group's last address, so the group is gone
 * @param droppedTopics topics that had no other broker group and are gone with it, sorted
 */
public record RemovedBroker(
    String clusterName,
    String brokerName,
    String brokerAddr,
    long brokerId,
    boolean lastOfBrokerName,
    Set<String> droppedTopics) {

  public RemovedBroker {
    droppedTopics = Collections.unmodifiableSortedSet(new TreeSet<>(droppedTopics));
  }
}
