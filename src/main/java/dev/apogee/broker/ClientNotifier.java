package dev.apogee.broker;

import dev.apogee.broker.client.ClientChannel;
import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;

/**
 * Tells a clustering group's members that membership changed (NOTIFY_CONSUMER_IDS_CHANGED, oneway),
 * so they rebalance now instead of at their next 20 s round. Never for broadcasting groups.
 */
final class ClientNotifier {
  private ClientNotifier() {}

  static void membersChanged(Broker broker, String group) {
    ConsumerGroups.Group<Connection> g = broker.consumers.find(group);
    if (g == null || g.broadcasting()) {
      return;
    }
    SubscriptionGroupConfig cfg = broker.groups.find(group);
    if (cfg != null && !cfg.notifyConsumerIdsChangedEnable()) {
      return;
    }
    for (ClientChannel<Connection> c : g.channels()) {
      if (c.connection().isOpen()) {
        c.connection()
            .invokeOneway(
                RemotingCommand.request(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED)
                    .putExt("consumerGroup", group));
      }
    }
  }
}
