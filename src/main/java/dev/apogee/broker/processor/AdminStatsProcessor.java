package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.BrokerStats;
import dev.apogee.broker.StatsItem;
import dev.apogee.broker.client.ClientChannel;
import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.client.SubscriptionData;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.protocol.BrokerStatsData;
import dev.apogee.protocol.ConsumeStats;
import dev.apogee.protocol.ConsumeStatsList;
import dev.apogee.protocol.GroupList;
import dev.apogee.protocol.JsonBody;
import dev.apogee.protocol.JsonOut;
import dev.apogee.protocol.MessageQueueKey;
import dev.apogee.protocol.OffsetWrapper;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.protocol.TopicOffset;
import dev.apogee.protocol.TopicStatsTable;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.MessageStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The admin tool's questions about queues, clients and traffic (protocol doc 2.7):
 * GET_TOPIC_STATS_INFO, GET_CONSUME_STATS, GET_BROKER_CONSUME_STATS, GET_CONSUMER_CONNECTION_LIST,
 * GET_PRODUCER_CONNECTION_LIST, QUERY_TOPIC_CONSUME_BY_WHO and VIEW_BROKER_STATS_DATA. Queue-keyed
 * maps are written with raw object keys (pitfall P2). Rates (tps) are the last minute's from {@link
 * BrokerStats}: a topic's stored messages, a group's pulled messages of a topic.
 *
 * <p>Stateless; called on event loops. Answers that read store times from the commit log are
 * computed on a worker.
 */
public final class AdminStatsProcessor {
  private final BrokerServices broker;

  public AdminStatsProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  private static RemotingCommand ok(RemotingCommand req) {
    return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null);
  }

  private static Future<RemotingCommand> refuse(RemotingCommand req, RequestException e) {
    return Future.succeededFuture(RemotingCommand.responseTo(req, e.code(), e.remark()));
  }

  public Future<RemotingCommand> topicStats(Connection c, RemotingCommand req) {
    String topic;
    try {
      topic = Headers.string(req.extFields(), "topic");
    } catch (RequestException e) {
      return refuse(req, e);
    }
    TopicConfig t = broker.topics().find(topic);
    if (t == null) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req, ResponseCode.TOPIC_NOT_EXIST, "topic[" + topic + "] not exist"));
    }
    String brokerName = broker.config().brokerName();
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(
            () -> {
              Map<MessageQueueKey, TopicOffset> table = new TreeMap<>();
              int queues = Math.max(t.readQueueNums(), t.writeQueueNums());
              for (int q = 0; q < queues; q++) {
                long min = Math.max(0, store.minOffsetInQueue(topic, q));
                long max = Math.max(0, store.maxOffsetInQueue(topic, q));
                long last = max > 0 ? Math.max(0, store.storeTimestampAt(topic, q, max - 1)) : 0;
                table.put(
                    new MessageQueueKey(topic, brokerName, q), new TopicOffset(min, max, last));
              }
              return new TopicStatsTable(table, minuteTps(broker.stats().topicPuts(topic)));
            },
            false)
        .map(stats -> ok(req).setBody(ProtocolJson.write(stats)));
  }

  /**
   * Per queue of the group's topics: the queue's max offset, the committed offset (0 when none) and
   * the store time of the last consumed message (0 when none). The topics are those named in {@code
   * topicList}, else {@code topic}, else every topic the group committed offsets for; without
   * {@code topicList}, topics the group's live members do not subscribe to are left out.
   */
  public Future<RemotingCommand> consumeStats(Connection c, RemotingCommand req) {
    String group;
    Set<String> topics;
    try {
      group = Headers.string(req.extFields(), "consumerGroup");
      topics = statsTopics(group, req.ext("topic"), req.ext("topicList"));
    } catch (RequestException e) {
      return refuse(req, e);
    }
    String brokerName = broker.config().brokerName();
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(
            () -> {
              Map<MessageQueueKey, OffsetWrapper> table = new TreeMap<>();
              double tps = 0;
              for (String topic : topics) {
                TopicConfig t = broker.topics().find(topic);
                if (t == null) {
                  continue;
                }
                table.putAll(progress(group, topic, t.readQueueNums(), brokerName, store));
                tps += minuteTps(broker.stats().groupGets(topic, group));
              }
              return new ConsumeStats(table, tps);
            },
            false)
        .map(stats -> ok(req).setBody(ProtocolJson.write(stats)));
  }

  /**
   * Per queue {@code 0..queues-1}: the queue's max offset, the committed offset (0 when none; also
   * given as the pull offset, which this broker does not keep apart) and the store time of the last
   * consumed message (0 when none). Reads the commit log: call on a worker.
   */
  private Map<MessageQueueKey, OffsetWrapper> progress(
      String group, String topic, int queues, String brokerName, MessageStore store) {
    Map<MessageQueueKey, OffsetWrapper> table = new TreeMap<>();
    for (int q = 0; q < queues; q++) {
      long max = Math.max(0, store.maxOffsetInQueue(topic, q));
      long committed = Math.max(0, broker.offsets().query(group, topic, q));
      long last = committed > 0 ? Math.max(0, store.storeTimestampAt(topic, q, committed - 1)) : 0;
      table.put(
          new MessageQueueKey(topic, brokerName, q),
          new OffsetWrapper(max, committed, committed, last));
    }
    return table;
  }

  private double minuteTps(StatsItem item) {
    return item == null
        ? 0.0
        : item.figures(StatsItem.Window.MINUTE, StatsItem.Measure.MESSAGES, broker.now()).tps();
  }

  private boolean notSubscribedByLiveMembers(String group, String topic) {
    return notSubscribedByLiveMembers(broker, group, topic);
  }

  /** Whether the group has live members whose subscriptions leave out {@code topic}. */
  static boolean notSubscribedByLiveMembers(BrokerServices broker, String group, String topic) {
    ConsumerGroups.Group<Connection> live = broker.consumers().find(group);
    Map<String, SubscriptionData> subs = live == null ? Map.of() : live.subscriptions();
    return !subs.isEmpty() && !subs.containsKey(topic);
  }

  /**
   * Every subscription group's progress on each topic it committed offsets for (RocketMQ's {@code
   * brokerConsumeStats}): per write queue, as GET_CONSUME_STATS gives it, with the group's consume
   * rate; topics a group's live members do not subscribe to are left out, and with {@code isOrder}
   * every topic that is not ordered.
   */
  public Future<RemotingCommand> brokerConsumeStats(Connection c, RemotingCommand req) {
    boolean orderOnly = req.extBoolean("isOrder", false);
    String brokerName = broker.config().brokerName();
    String brokerAddr = broker.brokerAddr();
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(
            () -> {
              List<Map<String, List<ConsumeStats>>> groups = new ArrayList<>();
              long diff = 0;
              long inflight = 0;
              for (SubscriptionGroupConfig g : broker.groups().all()) {
                String group = g.groupName();
                List<ConsumeStats> perTopic = new ArrayList<>();
                for (String topic : new TreeSet<>(broker.offsets().topicsOf(group))) {
                  TopicConfig t = broker.topics().find(topic);
                  if (t == null
                      || (orderOnly && !t.order())
                      || notSubscribedByLiveMembers(group, topic)) {
                    continue;
                  }
                  Map<MessageQueueKey, OffsetWrapper> table =
                      progress(group, topic, t.writeQueueNums(), brokerName, store);
                  for (OffsetWrapper w : table.values()) {
                    diff += w.brokerOffset() - w.consumerOffset();
                    inflight += w.pullOffset() - w.consumerOffset();
                  }
                  perTopic.add(
                      new ConsumeStats(table, minuteTps(broker.stats().groupGets(topic, group))));
                }
                Map<String, List<ConsumeStats>> entry = new LinkedHashMap<>();
                entry.put(group, perTopic);
                groups.add(entry);
              }
              return new ConsumeStatsList(brokerAddr, groups, diff, inflight);
            },
            false)
        .map(stats -> ok(req).setBody(ProtocolJson.write(stats)));
  }

  /**
   * One stats item's minute, hour and day figures. Items kept: {@code TOPIC_PUT_NUMS} and {@code
   * TOPIC_PUT_SIZE} (key: the topic), {@code GROUP_GET_NUMS} and {@code GROUP_GET_SIZE} (key:
   * {@code topic@group}), {@code BROKER_PUT_NUMS} and {@code BROKER_GET_NUMS} (key: the cluster
   * name). Any other name or a key with nothing counted is answered as RocketMQ answers a missing
   * item: SYSTEM_ERROR, "The stats &lt;name&gt; &lt;key&gt; not exist".
   */
  public Future<RemotingCommand> brokerStatsData(Connection c, RemotingCommand req) {
    String name = req.requireExt("statsName");
    String key = req.requireExt("statsKey");
    BrokerStats stats = broker.stats();
    String cluster = broker.config().brokerClusterName();
    StatsItem item =
        switch (name) {
          case "TOPIC_PUT_NUMS", "TOPIC_PUT_SIZE" -> stats.topicPuts(key);
          case "GROUP_GET_NUMS", "GROUP_GET_SIZE" -> groupItem(stats, key);
          case "BROKER_PUT_NUMS" -> key.equals(cluster) ? stats.brokerPuts() : null;
          case "BROKER_GET_NUMS" -> key.equals(cluster) ? stats.brokerGets() : null;
          default -> null;
        };
    if (item == null) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req, ResponseCode.SYSTEM_ERROR, "The stats <" + name + "> <" + key + "> not exist"));
    }
    StatsItem.Measure measure =
        name.endsWith("_SIZE") ? StatsItem.Measure.BYTES : StatsItem.Measure.MESSAGES;
    long now = broker.now();
    BrokerStatsData body =
        new BrokerStatsData(
            figures(item, StatsItem.Window.MINUTE, measure, now),
            figures(item, StatsItem.Window.HOUR, measure, now),
            figures(item, StatsItem.Window.DAY, measure, now));
    return Future.succeededFuture(ok(req).setBody(ProtocolJson.write(body)));
  }

  private static StatsItem groupItem(BrokerStats stats, String key) {
    int at = key.indexOf('@');
    return at <= 0 ? null : stats.groupGets(key.substring(0, at), key.substring(at + 1));
  }

  private static BrokerStatsData.Item figures(
      StatsItem item, StatsItem.Window window, StatsItem.Measure measure, long now) {
    StatsItem.Figures f = item.figures(window, measure, now);
    return new BrokerStatsData.Item(f.sum(), f.tps(), f.avgpt());
  }

  private Set<String> statsTopics(String group, String topic, String topicList) {
    Set<String> topics = new TreeSet<>();
    if (topicList != null && !topicList.isBlank()) {
      for (String t : topicList.split(";")) {
        if (!t.isBlank()) {
          topics.add(t.trim());
        }
      }
      return topics;
    }
    if (topic == null || topic.isBlank()) {
      topics.addAll(broker.offsets().topicsOf(group));
    } else {
      topics.add(topic);
    }
    topics.removeIf(t -> notSubscribedByLiveMembers(group, t));
    return topics;
  }

  public Future<RemotingCommand> consumerConnections(Connection c, RemotingCommand req) {
    String group;
    try {
      group = Headers.string(req.extFields(), "consumerGroup");
    } catch (RequestException e) {
      return refuse(req, e);
    }
    ConsumerGroups.Group<Connection> g = broker.consumers().find(group);
    List<ClientChannel<Connection>> channels = g == null ? List.of() : g.channels();
    if (channels.isEmpty()) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req,
              ResponseCode.CONSUMER_NOT_ONLINE,
              "the consumer group[" + group + "] not online"));
    }
    Map<String, SubscriptionView> subs = new TreeMap<>();
    g.subscriptions().forEach((topic, s) -> subs.put(topic, SubscriptionView.of(s)));
    ConsumerConnection body =
        new ConsumerConnection(
            connections(channels), subs, g.consumeType(), g.messageModel(), g.consumeFromWhere());
    return Future.succeededFuture(ok(req).setBody(ProtocolJson.write(body)));
  }

  public Future<RemotingCommand> producerConnections(Connection c, RemotingCommand req) {
    String group;
    try {
      group = Headers.string(req.extFields(), "producerGroup");
    } catch (RequestException e) {
      return refuse(req, e);
    }
    List<ClientChannel<Connection>> channels = broker.producers().channels(group);
    if (channels.isEmpty()) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req, ResponseCode.SYSTEM_ERROR, "the producer group[" + group + "] not exist"));
    }
    return Future.succeededFuture(
        ok(req).setBody(ProtocolJson.write(new ProducerConnection(connections(channels)))));
  }

  private static List<ConnectionInfo> connections(List<ClientChannel<Connection>> channels) {
    List<ConnectionInfo> out = new ArrayList<>();
    for (ClientChannel<Connection> ch : channels) {
      out.add(new ConnectionInfo(ch.clientId(), ch.remoteAddress(), ch.language(), ch.version()));
    }
    return out;
  }

  /** Groups with a live member subscribed to the topic, plus groups with offsets on it. */
  public Future<RemotingCommand> consumeByWho(Connection c, RemotingCommand req) {
    String topic;
    try {
      topic = Headers.string(req.extFields(), "topic");
    } catch (RequestException e) {
      return refuse(req, e);
    }
    Set<String> groups = new LinkedHashSet<>(broker.consumers().groupsSubscribedTo(topic));
    groups.addAll(broker.offsets().groupsOf(topic));
    return Future.succeededFuture(ok(req).setBody(ProtocolJson.write(new GroupList(groups))));
  }

  /** One client connection, RocketMQ's {@code Connection}. */
  record ConnectionInfo(String clientId, String clientAddr, String language, int version)
      implements JsonBody {
    @Override
    public void writeJson(JsonOut out) {
      out.beginObject()
          .field("clientAddr", clientAddr)
          .field("clientId", clientId)
          .field("language", language)
          .field("version", version)
          .endObject();
    }
  }

  /** The body of GET_CONSUMER_CONNECTION_LIST, RocketMQ's {@code ConsumerConnection}. */
  record ConsumerConnection(
      List<ConnectionInfo> connectionSet,
      Map<String, SubscriptionView> subscriptionTable,
      String consumeType,
      String messageModel,
      String consumeFromWhere)
      implements JsonBody {
    @Override
    public void writeJson(JsonOut out) {
      out.beginObject()
          .field("connectionSet", connectionSet, JsonOut::value)
          .field("consumeFromWhere", consumeFromWhere)
          .field("consumeType", consumeType)
          .field("messageModel", messageModel)
          .field("subscriptionTable", subscriptionTable, JsonOut::value)
          .endObject();
    }
  }

  /** The body of GET_PRODUCER_CONNECTION_LIST, RocketMQ's {@code ProducerConnection}. */
  record ProducerConnection(List<ConnectionInfo> connectionSet) implements JsonBody {
    @Override
    public void writeJson(JsonOut out) {
      out.beginObject().field("connectionSet", connectionSet, JsonOut::value).endObject();
    }
  }

  /** A subscription as RocketMQ's {@code SubscriptionData} writes it. */
  record SubscriptionView(
      String topic,
      String subString,
      Set<String> tagsSet,
      Set<Integer> codeSet,
      long subVersion,
      String expressionType,
      boolean classFilterMode)
      implements JsonBody {
    static SubscriptionView of(SubscriptionData s) {
      return new SubscriptionView(
          s.topic(),
          s.subString(),
          new TreeSet<>(s.tagsSet()),
          new TreeSet<>(s.codeSet()),
          s.subVersion(),
          s.expressionType(),
          s.classFilterMode());
    }

    @Override
    public void writeJson(JsonOut out) {
      out.beginObject()
          .field("classFilterMode", classFilterMode)
          .field("codeSet", codeSet, JsonOut::value)
          .field("expressionType", expressionType)
          .field("subString", subString)
          .field("subVersion", subVersion)
          .field("tagsSet", tagsSet, JsonOut::value)
          .field("topic", topic)
          .endObject();
    }
  }
}
