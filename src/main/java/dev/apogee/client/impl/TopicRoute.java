package dev.apogee.client.impl;

import dev.apogee.client.MessageQueue;
import dev.apogee.protocol.BrokerData;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.QueueData;
import dev.apogee.protocol.TopicRouteData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic's route as a client uses it (rocketmq-protocol.md 2.2): the queues it may write, in the
 * order a producer takes them; the queues it may read, sorted; and the addresses of each broker
 * group. Immutable.
 *
 * @param publishQueues writable queues of groups that have a master, or those of {@code
 *     orderTopicConf} when the route has one
 * @param subscribeQueues readable queues, sorted
 * @param brokers broker name to (broker id to address), id 0 being the master
 */
record TopicRoute(
    String topic,
    List<MessageQueue> publishQueues,
    List<MessageQueue> subscribeQueues,
    Map<String, Map<Long, String>> brokers) {

  TopicRoute {
    publishQueues = List.copyOf(publishQueues);
    subscribeQueues = List.copyOf(subscribeQueues);
    brokers = Collections.unmodifiableMap(new HashMap<>(brokers));
  }

  /** The route of {@code topic} a name server answered with. */
  static TopicRoute of(String topic, TopicRouteData data) {
    Map<String, Map<Long, String>> brokers = new HashMap<>();
    for (BrokerData b : data.brokerDatas()) {
      brokers.put(b.brokerName(), Collections.unmodifiableMap(new TreeMap<>(b.brokerAddrs())));
    }
    List<MessageQueue> publish = new ArrayList<>();
    String order = data.orderTopicConf();
    if (order != null && !order.isBlank()) {
      for (String part : order.split(";")) {
        String[] nameAndCount = part.split(":");
        if (nameAndCount.length == 2) {
          int count = Integer.parseInt(nameAndCount[1].trim());
          for (int q = 0; q < count; q++) {
            publish.add(new MessageQueue(topic, nameAndCount[0].trim(), q));
          }
        }
      }
    } else {
      List<QueueData> sorted = new ArrayList<>(data.queueDatas());
      sorted.sort(Comparator.comparing(QueueData::brokerName));
      for (QueueData q : sorted) {
        Map<Long, String> addrs = brokers.get(q.brokerName());
        if (Perm.isWriteable(q.perm())
            && addrs != null
            && addrs.containsKey(BrokerData.MASTER_ID)) {
          for (int i = 0; i < q.writeQueueNums(); i++) {
            publish.add(new MessageQueue(topic, q.brokerName(), i));
          }
        }
      }
    }
    List<MessageQueue> subscribe = new ArrayList<>();
    for (QueueData q : data.queueDatas()) {
      if (Perm.isReadable(q.perm())) {
        for (int i = 0; i < q.readQueueNums(); i++) {
          subscribe.add(new MessageQueue(topic, q.brokerName(), i));
        }
      }
    }
    Collections.sort(subscribe);
    return new TopicRoute(topic, publish, subscribe, brokers);
  }

  /**
   * The route to use for a topic the name server does not know yet: the brokers of the auto-create
   * template's route, each with {@code min(queueNums, readQueueNums)} queues, where the first send
   * creates the topic (rocketmq-protocol.md 2.3).
   */
  static TopicRoute forNewTopic(String topic, TopicRouteData template, int queueNums) {
    List<QueueData> queues = new ArrayList<>();
    for (QueueData q : template.queueDatas()) {
      int n = Math.min(queueNums, q.readQueueNums());
      queues.add(new QueueData(q.brokerName(), n, n, q.perm(), q.topicSysFlag()));
    }
    return of(topic, new TopicRouteData(null, queues, template.brokerDatas(), Map.of()));
  }

  /** The master's address of {@code brokerName}, or null. */
  String masterAddress(String brokerName) {
    Map<Long, String> addrs = brokers.get(brokerName);
    return addrs == null ? null : addrs.get(BrokerData.MASTER_ID);
  }

  /** The master's address of {@code brokerName}, else its lowest-id member's, or null. */
  String readAddress(String brokerName) {
    Map<Long, String> addrs = brokers.get(brokerName);
    if (addrs == null || addrs.isEmpty()) {
      return null;
    }
    String master = addrs.get(BrokerData.MASTER_ID);
    return master != null ? master : addrs.values().iterator().next();
  }
}
