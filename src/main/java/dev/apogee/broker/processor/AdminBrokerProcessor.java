package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.BrokerSettings;
import dev.apogee.broker.BrokerStats;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.broker.topic.TopicValidator;
import dev.apogee.config.RuntimeSettings;
import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.JsonBody;
import dev.apogee.protocol.JsonOut;
import dev.apogee.protocol.JsonReader;
import dev.apogee.protocol.KvTable;
import dev.apogee.protocol.PropertiesText;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.protocol.TopicFilterType;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.MessageStore;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.RecordDecoder;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin tool's broker requests about topics, consumer groups and the broker itself (protocol
 * doc 2.7): UPDATE_AND_CREATE_TOPIC(_LIST), DELETE_TOPIC_IN_BROKER, GET_ALL_TOPIC_CONFIG,
 * GET_TOPIC_CONFIG, GET_BROKER_RUNTIME_INFO, GET_BROKER_CONFIG, UPDATE_BROKER_CONFIG,
 * UPDATE_AND_CREATE_SUBSCRIPTIONGROUP(_LIST), GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
 * GET_SUBSCRIPTIONGROUP_CONFIG and DELETE_SUBSCRIPTIONGROUP.
 *
 * <p>Changes go to the topic, group and offset managers, which change memory at once and save on
 * their worker; a topic change makes the broker re-register with its name servers. Deleting a topic
 * leaves its messages in the store until retention removes the files. The live settings of {@link
 * BrokerSettings} decide whether system topics are refused and whether a deleted topic's or group's
 * stats go with it.
 *
 * <p>Stateless; called on event loops. Reads of the commit log go to a worker.
 */
public final class AdminBrokerProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(AdminBrokerProcessor.class);

  /** RocketMQ's version code of V5_5_0, which this broker reports. */
  static final int BROKER_VERSION = 513;

  static final String BROKER_VERSION_DESC = "V5_5_0";

  private final BrokerServices broker;

  public AdminBrokerProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  private static Future<RemotingCommand> answer(RemotingCommand r) {
    return Future.succeededFuture(r);
  }

  private static RemotingCommand ok(RemotingCommand req) {
    return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null);
  }

  private static Future<RemotingCommand> refuse(RemotingCommand req, RequestException e) {
    return answer(RemotingCommand.responseTo(req, e.code(), e.remark()));
  }

  // ---------------------------------------------------------------- topics

  public Future<RemotingCommand> updateAndCreateTopic(Connection c, RemotingCommand req) {
    try {
      Map<String, String> ext = req.extFields();
      String topic = Headers.string(ext, "topic");
      checkAdminTopic(topic, BrokerSettings.of(broker));
      int read = Headers.integer(ext, "readQueueNums");
      int write = Headers.integer(ext, "writeQueueNums");
      checkQueueNums(topic, read, write);
      int perm = Headers.integer(ext, "perm");
      TopicFilterType filter = filterType(Headers.optional(ext, "topicFilterType"));
      TopicConfig existing = broker.topics().find(topic);
      Map<String, String> attributes =
          TopicAttributes.alter(
              existing == null ? null : existing.attributes(), Headers.optional(ext, "attributes"));
      TopicConfig t =
          new TopicConfig(
              topic,
              read,
              write,
              perm,
              filter,
              Headers.integer(ext, "topicSysFlag", 0),
              Headers.bool(ext, "order", false),
              attributes);
      apply(c, t, existing);
      return answer(ok(req));
    } catch (RequestException e) {
      return refuse(req, e);
    }
  }

  private void apply(Connection c, TopicConfig t, TopicConfig existing) {
    if (!t.equals(existing)) {
      broker.topics().update(t);
      LOG.info(
          "topic {} {} by {}: {} read / {} write queues, perm {}",
          t.topicName(),
          existing == null ? "created" : "updated",
          c.remoteAddress(),
          t.readQueueNums(),
          t.writeQueueNums(),
          t.perm());
    }
  }

  /**
   * Creates or updates every topic of the body's {@code topicConfigList} ({@code mqadmin
   * updateTopicList}). Each is checked as UPDATE_AND_CREATE_TOPIC checks one, and its {@code
   * attributes} ({@code +key}: value, {@code -key}: remove) alter the topic's as that request's
   * field does; one refused topic refuses the whole list and nothing changes.
   */
  public Future<RemotingCommand> updateAndCreateTopicList(Connection c, RemotingCommand req) {
    List<TopicConfig> asked;
    try {
      asked = readList(req, "topicConfigList", TopicConfig::readJson);
    } catch (RequestException e) {
      return refuse(req, e);
    }
    try {
      RuntimeSettings settings = BrokerSettings.of(broker);
      Map<String, TopicConfig> checked = new LinkedHashMap<>();
      for (TopicConfig t : asked) {
        checkAdminTopic(t.topicName(), settings);
        checkQueueNums(t.topicName(), t.readQueueNums(), t.writeQueueNums());
        TopicConfig existing = broker.topics().find(t.topicName());
        Map<String, String> attributes =
            TopicAttributes.alter(
                existing == null ? null : existing.attributes(), attributeChange(t.attributes()));
        checked.put(
            t.topicName(),
            new TopicConfig(
                t.topicName(),
                t.readQueueNums(),
                t.writeQueueNums(),
                t.perm(),
                t.topicFilterType(),
                t.topicSysFlag(),
                t.order(),
                attributes));
      }
      for (TopicConfig t : checked.values()) {
        apply(c, t, broker.topics().find(t.topicName()));
      }
      return answer(ok(req));
    } catch (RequestException e) {
      return refuse(req, e);
    }
  }

  /** A topic's JSON attributes ({@code "+key":"value"}, {@code "-key":""}) as the header's list. */
  private static String attributeChange(Map<String, String> attributes) {
    StringBuilder change = new StringBuilder();
    attributes.forEach(
        (k, v) -> {
          if (change.length() > 0) {
            change.append(',');
          }
          change.append(k);
          if (!k.startsWith("-")) {
            change.append('=').append(v);
          }
        });
    return change.toString();
  }

  private static void checkQueueNums(String topic, int read, int write) {
    if (read < 1 || write < 1) {
      throw new RequestException(
          Headers.INVALID_PARAMETER,
          "readQueueNums and writeQueueNums of "
              + topic
              + " must be at least 1, were "
              + read
              + " and "
              + write);
    }
  }

  /** The list in the body's field {@code field}; a missing body or a malformed one is refused. */
  private static <T> List<T> readList(RemotingCommand req, String field, JsonReader<T> item) {
    byte[] body = req.bodyBytes();
    if (body == null || body.length == 0) {
      throw new RequestException(Headers.INVALID_PARAMETER, "the request has no body");
    }
    try {
      return ProtocolJson.read(
          body,
          in -> {
            List<T> list = List.of();
            in.beginObject("request body");
            while (in.nextField()) {
              if (in.fieldName().equals(field) && !in.isNull()) {
                list = in.list(item);
              } else {
                in.skipValue();
              }
            }
            return list;
          });
    } catch (IllegalArgumentException e) {
      throw new RequestException(Headers.INVALID_PARAMETER, e.getMessage());
    }
  }

  private static void checkAdminTopic(String topic, RuntimeSettings settings) {
    String bad = TopicValidator.checkTopic(topic);
    if (bad != null) {
      throw new RequestException(Headers.INVALID_PARAMETER, bad);
    }
    checkNotSystemTopic(topic, settings);
  }

  private static void checkNotSystemTopic(String topic, RuntimeSettings settings) {
    if (settings.on(BrokerSettings.VALIDATE_SYSTEM_TOPIC) && TopicValidator.isSystemTopic(topic)) {
      throw new RequestException(
          Headers.INVALID_PARAMETER, "The topic[" + topic + "] is conflict with system topic.");
    }
  }

  private static TopicFilterType filterType(String name) {
    if (name == null || name.isEmpty()) {
      return TopicFilterType.SINGLE_TAG;
    }
    try {
      return TopicFilterType.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new RequestException(
          Headers.INVALID_PARAMETER, "topicFilterType " + name + " is not a filter type");
    }
  }

  /** Forgets the topic and every group's offsets of it; its stored messages age out. */
  public Future<RemotingCommand> deleteTopic(Connection c, RemotingCommand req) {
    try {
      String topic = Headers.string(req.extFields(), "topic");
      if (topic.isBlank()) {
        throw new RequestException(Headers.INVALID_PARAMETER, "The specified topic is blank.");
      }
      RuntimeSettings settings = BrokerSettings.of(broker);
      checkNotSystemTopic(topic, settings);
      boolean existed = broker.topics().delete(topic);
      broker.offsets().removeTopic(topic);
      if (settings.on(BrokerSettings.AUTO_DELETE_UNUSED_STATS)) {
        broker.stats().removeTopic(topic);
      }
      if (existed) {
        LOG.info("topic {} deleted by {}", topic, c.remoteAddress());
      }
      return answer(ok(req));
    } catch (RequestException e) {
      return refuse(req, e);
    }
  }

  /** The whole table in one answer: without {@code totalTopicNum} the client asks no more pages. */
  public Future<RemotingCommand> allTopicConfig(Connection c, RemotingCommand req) {
    return answer(ok(req).setBody(ProtocolJson.write(broker.topics().snapshot())));
  }

  /**
   * One topic's settings (RocketMQ's TopicConfigAndQueueMapping, which adds only a static-topic
   * mapping this broker never has); 17 when the topic is unknown.
   */
  public Future<RemotingCommand> topicConfig(Connection c, RemotingCommand req) {
    try {
      String topic = Headers.string(req.extFields(), "topic");
      TopicConfig t = broker.topics().find(topic);
      if (t == null) {
        return answer(
            RemotingCommand.responseTo(
                req, ResponseCode.TOPIC_NOT_EXIST, "No topic in this broker. topic: " + topic));
      }
      return answer(ok(req).setBody(ProtocolJson.write(t)));
    } catch (RequestException e) {
      return refuse(req, e);
    }
  }

  // ---------------------------------------------------------------- broker

  public Future<RemotingCommand> runtimeInfo(Connection c, RemotingCommand req) {
    return broker
        .vertx()
        .executeBlocking(() -> runtimeTable(broker.store(), broker.stats()), false)
        .map(table -> ok(req).setBody(ProtocolJson.write(new KvTable(table))));
  }

  /**
   * Every key {@code mqadmin clusterList} and {@code brokerStatus} read: message counts and rates
   * from {@link BrokerStats}, the store's own figures; RocketMQ's thread-pool queue figures and the
   * timer's (this broker has neither yet) read 0.
   */
  static Map<String, String> runtimeTable(MessageStore store, BrokerStats stats) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("brokerVersionDesc", BROKER_VERSION_DESC);
    t.put("brokerVersion", Integer.toString(BROKER_VERSION));
    t.put("brokerActive", "false");
    for (String k :
        new String[] {
          "sendThreadPoolQueueSize",
          "pullThreadPoolQueueSize",
          "sendThreadPoolQueueHeadWaitTimeMills",
          "pullThreadPoolQueueHeadWaitTimeMills",
          "pageCacheLockTimeMills",
          "timerReadBehind",
          "timerOffsetBehind",
          "timerCongestNum"
        }) {
      t.put(k, "0");
    }
    t.put("msgPutTotalYesterdayMorning", Long.toString(stats.putTotalYesterdayMorning()));
    t.put("msgPutTotalTodayMorning", Long.toString(stats.putTotalTodayMorning()));
    t.put("msgPutTotalTodayNow", Long.toString(stats.putTotal()));
    t.put("msgGetTotalYesterdayMorning", Long.toString(stats.getTotalYesterdayMorning()));
    t.put("msgGetTotalTodayMorning", Long.toString(stats.getTotalTodayMorning()));
    t.put("msgGetTotalTodayNow", Long.toString(stats.getTotal()));
    t.put("putTps", stats.putTps());
    t.put("getTransferredTps", stats.getTransferredTps());
    t.put("timerEnqueueTps", "0.0");
    t.put("timerDequeueTps", "0.0");
    t.put("earliestMessageTimeStamp", Long.toString(earliestMessageTime(store)));
    t.put("commitLogDiskRatio", Double.toString(store.diskUsedRatio()));
    t.put("commitLogMinOffset", Long.toString(store.commitLogMinOffset()));
    t.put("commitLogMaxOffset", Long.toString(store.commitLogMaxOffset()));
    t.put("dispatchBehindBytes", Long.toString(store.dispatchBehindBytes()));
    t.put(
        "remainHowManyDataToFlush",
        Long.toString(store.commitLogMaxOffset() - store.commitLogFlushedOffset()));
    return t;
  }

  /** Store time of the oldest record in the commit log, or -1 when it holds none. */
  private static long earliestMessageTime(MessageStore store) {
    SelectedRecord r = store.selectRecord(store.commitLogMinOffset());
    if (r == null) {
      return -1;
    }
    try {
      return RecordDecoder.storeTimestamp(r.buffer(), 0);
    } finally {
      r.release();
    }
  }

  /**
   * The broker's and its store's settings as properties text, under RocketMQ's key names, with the
   * live settings' current values; {@code version} is the settings' version (the process start with
   * counter 0 until the first update).
   */
  public Future<RemotingCommand> brokerConfig(Connection c, RemotingCommand req) {
    RuntimeSettings settings = BrokerSettings.of(broker);
    RuntimeSettings.Version v = settings.version();
    return answer(
        ok(req)
            .putExt(
                "version", ProtocolJson.writeString(new DataVersion(v.timestamp(), v.counter(), 0)))
            .setBody(PropertiesText.format(settings.all()).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Changes live settings (body: properties text). All or nothing: a key read only at start, one
   * this broker does not have or a value a setting cannot take is refused by name (NO_PERMISSION,
   * or INVALID_PARAMETER for a value) and nothing changes. An empty body changes nothing.
   */
  public Future<RemotingCommand> updateBrokerConfig(Connection c, RemotingCommand req) {
    byte[] body = req.bodyBytes();
    if (body == null || body.length == 0) {
      return answer(ok(req));
    }
    Map<String, String> changes;
    try {
      changes = PropertiesText.parse(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      LOG.warn("refusing a settings update from {}: {}", c.remoteAddress(), e.getMessage());
      return answer(
          RemotingCommand.responseTo(
              req, ResponseCode.SYSTEM_ERROR, "cannot read the settings: " + e.getMessage()));
    }
    Optional<RuntimeSettings.Rejection> refused = BrokerSettings.of(broker).update(changes);
    if (refused.isPresent()) {
      RuntimeSettings.Rejection r = refused.get();
      LOG.warn(
          "refusing a settings update from {} ({}): {}", c.remoteAddress(), r.key(), r.message());
      int code =
          r.reason() == RuntimeSettings.Refusal.BAD_VALUE
              ? Headers.INVALID_PARAMETER
              : ResponseCode.NO_PERMISSION;
      return answer(RemotingCommand.responseTo(req, code, r.message()));
    }
    LOG.info("broker settings changed by {}: {}", c.remoteAddress(), changes);
    return answer(ok(req));
  }

  // ---------------------------------------------------------------- consumer groups

  public Future<RemotingCommand> updateAndCreateGroup(Connection c, RemotingCommand req) {
    SubscriptionGroupConfig g;
    try {
      g = ProtocolJson.read(req.bodyBytes(), SubscriptionGroupConfig::readJson);
    } catch (IllegalArgumentException e) {
      return answer(RemotingCommand.responseTo(req, Headers.INVALID_PARAMETER, e.getMessage()));
    }
    String bad = TopicValidator.checkGroup(g.groupName());
    if (bad != null) {
      return answer(RemotingCommand.responseTo(req, Headers.INVALID_PARAMETER, bad));
    }
    broker.groups().update(g);
    LOG.info("consumer group {} created or updated by {}", g.groupName(), c.remoteAddress());
    return answer(ok(req));
  }

  /**
   * Creates or updates every group of the body's {@code groupConfigList} ({@code mqadmin
   * updateSubGroupList}); one invalid group name refuses the whole list and nothing changes.
   */
  public Future<RemotingCommand> updateAndCreateGroupList(Connection c, RemotingCommand req) {
    List<SubscriptionGroupConfig> groups;
    try {
      groups = readList(req, "groupConfigList", SubscriptionGroupConfig::readJson);
    } catch (RequestException e) {
      return refuse(req, e);
    }
    for (SubscriptionGroupConfig g : groups) {
      String bad = TopicValidator.checkGroup(g.groupName());
      if (bad != null) {
        return answer(RemotingCommand.responseTo(req, Headers.INVALID_PARAMETER, bad));
      }
    }
    for (SubscriptionGroupConfig g : groups) {
      broker.groups().update(g);
      LOG.info("consumer group {} created or updated by {}", g.groupName(), c.remoteAddress());
    }
    return answer(ok(req));
  }

  /**
   * Every group in one answer ({@code subscriptionGroupTable}, {@code forbiddenTable}). The groups
   * carry no data version here, so none is sent and the client keeps its default.
   */
  public Future<RemotingCommand> allGroups(Connection c, RemotingCommand req) {
    Map<String, SubscriptionGroupConfig> table = new TreeMap<>();
    for (SubscriptionGroupConfig g : broker.groups().all()) {
      table.put(g.groupName(), g);
    }
    return answer(
        ok(req).setBody(ProtocolJson.write(new SubscriptionGroupWrapper(table, Map.of()))));
  }

  /** One group's settings; 26 when the group is unknown. */
  public Future<RemotingCommand> groupConfig(Connection c, RemotingCommand req) {
    try {
      String group = Headers.string(req.extFields(), "group");
      SubscriptionGroupConfig g = broker.groups().find(group);
      if (g == null) {
        return answer(
            RemotingCommand.responseTo(
                req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "No group in this broker"));
      }
      return answer(ok(req).setBody(ProtocolJson.write(g)));
    } catch (RequestException e) {
      return refuse(req, e);
    }
  }

  public Future<RemotingCommand> deleteGroup(Connection c, RemotingCommand req) {
    try {
      String group = Headers.string(req.extFields(), "groupName");
      if (broker.groups().delete(group)) {
        LOG.info("consumer group {} deleted by {}", group, c.remoteAddress());
      }
      if (Headers.bool(req.extFields(), "cleanOffset", false)) {
        broker.offsets().removeGroup(group);
      }
      if (BrokerSettings.of(broker).on(BrokerSettings.AUTO_DELETE_UNUSED_STATS)) {
        broker.stats().removeGroup(group);
      }
      return answer(ok(req));
    } catch (RequestException e) {
      return refuse(req, e);
    }
  }

  /** The body of GET_ALL_SUBSCRIPTIONGROUP_CONFIG, RocketMQ's {@code SubscriptionGroupWrapper}. */
  record SubscriptionGroupWrapper(
      Map<String, SubscriptionGroupConfig> subscriptionGroupTable,
      Map<String, Map<String, Integer>> forbiddenTable)
      implements JsonBody {
    @Override
    public void writeJson(JsonOut out) {
      out.beginObject()
          .field("forbiddenTable", forbiddenTable, (o, t) -> o.map(t, JsonOut::value))
          .field("subscriptionGroupTable", subscriptionGroupTable, JsonOut::value)
          .endObject();
    }
  }
}
