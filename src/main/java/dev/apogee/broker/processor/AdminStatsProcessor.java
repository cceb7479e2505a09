package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.client.ClientChannel;
import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.client.SubscriptionData;
import dev.apogee.protocol.ConsumeStats;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The admin tool's questions about queues and clients (protocol doc 2.7): GET_TOPIC_STATS_INFO,
 * GET_CONSUME_STATS, GET_CONSUMER_CONNECTION_LIST, GET_PRODUCER_CONNECTION_LIST and
 * QUERY_TOPIC_CONSUME_BY_WHO. Queue-keyed maps are written with raw object keys (pitfall P2). Rates
 * (tps) are not measured by this broker and read 0.
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
              return new TopicStatsTable(table, 0.0);
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
              for (String topic : topics) {
                TopicConfig t = broker.topics().find(topic);
                if (t == null) {
                  continue;
                }
                for (int q = 0; q < t.readQueueNums(); q++) {
                  long max = Math.max(0, store.maxOffsetInQueue(topic, q));
                  long committed = Math.max(0, broker.offsets().query(group, topic, q));
                  long last =
                      committed > 0
                          ? Math.max(0, store.storeTimestampAt(topic, q, committed - 1))
                          : 0;
                  table.put(
                      new MessageQueueKey(topic, brokerName, q),
                      new OffsetWrapper(max, committed, committed, last));
                }
              }
              return new ConsumeStats(table, 0.0);
            },
            false)
        .map(stats -> ok(req).setBody(ProtocolJson.write(stats)));
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
    ConsumerGroups.Group<Connection> live = broker.consumers().find(group);
    Map<String, SubscriptionData> subs = live == null ? Map.of() : live.subscriptions();
    if (!subs.isEmpty()) {
      topics.retainAll(subs.keySet());
    }
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
