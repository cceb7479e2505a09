package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.client.ClientChannel;
import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.client.SubscriptionData;
import dev.apogee.protocol.ConsumerIdList;
import dev.apogee.protocol.MessageQueueKey;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.QueryConsumeQueueResponseBody;
import dev.apogee.protocol.QueryConsumeQueueResponseBody.ConsumeQueueData;
import dev.apogee.protocol.ResetOffsetBody;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.GetResult;
import dev.apogee.store.GetStatus;
import dev.apogee.store.MessageFilter;
import dev.apogee.store.MessageStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's bookkeeping requests (protocol doc 2.6): who else is in its group, its committed
 * offsets, and a queue's min, max, time-searched and earliest positions; and the admin tool's
 * requests on the same state: a consume queue's units (QUERY_CONSUME_QUEUE), copying a group's
 * offsets to another group (CLONE_GROUP_OFFSET) and resetting a group's offsets to a time
 * (INVOKE_BROKER_TO_RESET_OFFSET). Malformed header fields are answered by {@link Guarded}.
 */
public final class ConsumerManageProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerManageProcessor.class);

  /** Units one QUERY_CONSUME_QUEUE answers at most (200 KB of JSON); page with the index. */
  static final int MAX_QUERIED_UNITS = 10_000;

  private final BrokerServices broker;

  public ConsumerManageProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  private static Future<RemotingCommand> answer(RemotingCommand r) {
    return Future.succeededFuture(r);
  }

  public Future<RemotingCommand> consumerList(Connection c, RemotingCommand req) {
    String group = req.requireExt("consumerGroup");
    List<String> ids = broker.consumers().clientIds(group);
    if (ids.isEmpty()) {
      return answer(
          RemotingCommand.responseTo(
              req, ResponseCode.SYSTEM_ERROR, "no consumer for this group, " + group));
    }
    return answer(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .setBody(ProtocolJson.write(new ConsumerIdList(ids))));
  }

  public Future<RemotingCommand> queryOffset(Connection c, RemotingCommand req) {
    String group = req.requireExt("consumerGroup");
    String topic = req.requireExt("topic");
    int queueId = req.extInt("queueId");
    long offset = broker.offsets().query(group, topic, queueId);
    if (offset >= 0) {
      return answer(
          RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).putExt("offset", offset));
    }
    // A new group on a queue that still holds its first message starts at 0, as RocketMQ does.
    if (req.extBoolean("setZeroIfNotFound", true)
        && broker.store().minOffsetInQueue(topic, queueId) <= 0) {
      return answer(
          RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).putExt("offset", 0L));
    }
    return answer(
        RemotingCommand.responseTo(
            req, ResponseCode.QUERY_NOT_FOUND, "no committed offset for this group and queue"));
  }

  public Future<RemotingCommand> updateOffset(Connection c, RemotingCommand req) {
    broker
        .offsets()
        .commit(
            req.requireExt("consumerGroup"),
            req.requireExt("topic"),
            req.extInt("queueId"),
            req.extLong("commitOffset"));
    return answer(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
  }

  public Future<RemotingCommand> maxOffset(Connection c, RemotingCommand req) {
    long o = broker.store().maxOffsetInQueue(req.requireExt("topic"), req.extInt("queueId"));
    return answer(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).putExt("offset", o));
  }

  public Future<RemotingCommand> minOffset(Connection c, RemotingCommand req) {
    long o = broker.store().minOffsetInQueue(req.requireExt("topic"), req.extInt("queueId"));
    return answer(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).putExt("offset", o));
  }

  public Future<RemotingCommand> searchOffset(Connection c, RemotingCommand req) {
    boolean upper = "UPPER".equalsIgnoreCase(req.ext("boundaryType"));
    long o =
        broker
            .store()
            .offsetByTimestamp(
                req.requireExt("topic"), req.extInt("queueId"), req.extLong("timestamp"), upper);
    return answer(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).putExt("offset", o));
  }

  public Future<RemotingCommand> earliestTime(Connection c, RemotingCommand req) {
    long t = broker.store().earliestMessageTime(req.requireExt("topic"), req.extInt("queueId"));
    return answer(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .putExt("timestamp", Math.max(0, t)));
  }

  /**
   * Gives {@code destGroup} the committed offsets of {@code srcGroup} on {@code topic}, or on every
   * topic the source has offsets for when none is named, as RocketMQ does: a topic this broker does
   * not have is skipped, and so (unless {@code offline}) is a topic the source's live members do
   * not subscribe to. The copies are saved with the other offsets.
   */
  public Future<RemotingCommand> cloneGroupOffset(Connection c, RemotingCommand req) {
    String src = req.requireExt("srcGroup");
    String dest = req.requireExt("destGroup");
    String topic = req.ext("topic");
    boolean offline = req.extBoolean("offline", false);
    Set<String> topics =
        topic == null || topic.isBlank()
            ? new TreeSet<>(broker.offsets().topicsOf(src))
            : Set.of(topic);
    for (String t : topics) {
      if (broker.topics().find(t) == null) {
        LOG.info("not copying offsets of {} on {} to {}: no such topic", src, t, dest);
        continue;
      }
      if (!offline && AdminStatsProcessor.notSubscribedByLiveMembers(broker, src, t)) {
        LOG.info(
            "not copying offsets of {} on {} to {}: its members do not subscribe", src, t, dest);
        continue;
      }
      int queues = broker.offsets().cloneOffsets(src, dest, t);
      LOG.info(
          "offsets of {} on {} ({} queues) copied to {} by {}",
          src,
          t,
          queues,
          dest,
          c.remoteAddress());
    }
    return answer(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
  }

  /**
   * A consume queue's units from {@code index}, at most {@code count}: commit log offset, size and
   * tag hash of each message, with the queue's min and max offsets and, when {@code consumerGroup}
   * is given, that group's subscription to the topic. As RocketMQ answers: SYSTEM_ERROR when the
   * queue does not exist; SUCCESS without a body, the reason in the remark, when the index is
   * outside the queue.
   */
  public Future<RemotingCommand> queryConsumeQueue(Connection c, RemotingCommand req) {
    String topic = req.requireExt("topic");
    int queueId = req.extInt("queueId");
    long index = req.extLong("index");
    int count = req.extInt("count");
    String group = req.ext("consumerGroup");
    if (count > MAX_QUERIED_UNITS) {
      throw new RequestException(
          Headers.INVALID_PARAMETER,
          "count " + count + " is above the " + MAX_QUERIED_UNITS + " units of one answer");
    }
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(() -> units(store, topic, queueId, index, Math.max(0, count)), false)
        .map(
            units -> {
              if (units == null) {
                return RemotingCommand.responseTo(
                    req, ResponseCode.SYSTEM_ERROR, queueId + "@" + topic + " is not exist!");
              }
              if (units.isEmpty() && !readable(store, topic, queueId, index)) {
                return RemotingCommand.responseTo(
                    req,
                    ResponseCode.SUCCESS,
                    "Index " + index + " of " + queueId + "@" + topic + " is not exist!");
              }
              return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
                  .setBody(
                      ProtocolJson.write(consumeQueueBody(store, topic, queueId, group, units)));
            });
  }

  private static boolean readable(MessageStore store, String topic, int queueId, long index) {
    return index >= store.minOffsetInQueue(topic, queueId)
        && index < store.maxOffsetInQueue(topic, queueId);
  }

  private QueryConsumeQueueResponseBody consumeQueueBody(
      MessageStore store, String topic, int queueId, String group, List<ConsumeQueueData> units) {
    AdminStatsProcessor.SubscriptionView subscription = null;
    String filterData = null;
    if (group != null) {
      ConsumerGroups.Group<Connection> live = broker.consumers().find(group);
      SubscriptionData sub = live == null ? null : live.subscriptions().get(topic);
      if (sub == null) {
        filterData = group + "@" + topic + " is not online!";
      } else {
        subscription = AdminStatsProcessor.SubscriptionView.of(sub);
        // RocketMQ prints its filter data here, which only SQL92 subscriptions have.
        filterData = "null";
      }
    }
    return new QueryConsumeQueueResponseBody(
        subscription,
        filterData,
        units,
        store.maxOffsetInQueue(topic, queueId),
        store.minOffsetInQueue(topic, queueId));
  }

  /**
   * Up to {@code count} units from {@code index}; empty when the index is not readable, null when
   * the queue does not exist. The store hands a unit's tag hash only to a reader's filter, so a
   * filter that records each hash and takes no message walks the units (reading no record), and
   * each unit's offset and size are then read by its queue offset. Blocking: mapped reads.
   */
  static List<ConsumeQueueData> units(
      MessageStore store, String topic, int queueId, long index, int count) {
    long[] codes = new long[count];
    int[] seen = {0};
    MessageFilter recorder =
        code -> {
          if (seen[0] < count) {
            codes[seen[0]++] = code;
          }
          return false;
        };
    long next = index;
    while (seen[0] < count) {
      int before = seen[0];
      GetResult r = store.getMessages(topic, queueId, next, count, Integer.MAX_VALUE, recorder);
      r.release();
      if (r.status() == GetStatus.NO_MATCHED_LOGIC_QUEUE) {
        return null;
      }
      if ((r.status() != GetStatus.NO_MATCHED_MESSAGE
              && r.status() != GetStatus.MESSAGE_WAS_REMOVING)
          || seen[0] == before) {
        break;
      }
      next = r.nextBeginOffset();
    }
    List<ConsumeQueueData> out = new ArrayList<>(seen[0]);
    for (int i = 0; i < seen[0]; i++) {
      long[] unit = store.unitAt(topic, queueId, index + i);
      if (unit == null) {
        break;
      }
      out.add(new ConsumeQueueData(unit[0], (int) unit[1], codes[i]));
    }
    return out;
  }

  /**
   * Resets a group's offsets on a topic to a time (INVOKE_BROKER_TO_RESET_OFFSET: {@code mqadmin
   * resetOffsetByTime} and {@code skipAccumulatedMessage}), as RocketMQ does with {@code
   * useServerSideResetOffset} off: per write queue (or only {@code queueId}), the first offset
   * stored at or after {@code timestamp} ({@code -1}: the queue's end) or the given {@code offset};
   * without {@code isForce} a queue keeps its committed offset when that is lower than the time's
   * (a given offset always applies). The group's live members are told
   * (RESET_CONSUMER_CLIENT_OFFSET, oneway) and commit the new offsets themselves, so a member's
   * next commit cannot undo the reset; the answer lists the offsets. Without live members the
   * answer is CONSUMER_NOT_ONLINE, on which the admin tool sets the offsets itself with
   * UPDATE_CONSUMER_OFFSET.
   */
  public Future<RemotingCommand> resetOffset(Connection c, RemotingCommand req) {
    String topic = req.requireExt("topic");
    String group = req.requireExt("group");
    long timestamp = req.extLong("timestamp");
    boolean force = req.extBoolean("isForce", false);
    int queueId = req.extInt("queueId", -1);
    long offset = req.extLong("offset", -1);
    TopicConfig t = broker.topics().find(topic);
    if (t == null) {
      return answer(
          RemotingCommand.responseTo(
              req,
              ResponseCode.TOPIC_NOT_EXIST,
              "[reset-offset] reset offset failed, no topic in this broker. topic=" + topic));
    }
    MessageStore store = broker.store();
    String brokerName = broker.config().brokerName();
    return broker
        .vertx()
        .executeBlocking(
            () -> {
              Map<MessageQueueKey, Long> table = new TreeMap<>();
              int from = queueId >= 0 ? queueId : 0;
              int to = queueId >= 0 ? queueId + 1 : t.writeQueueNums();
              for (int q = from; q < to; q++) {
                long committed = broker.offsets().query(group, topic, q);
                if (committed < 0) {
                  throw new RequestException(
                      ResponseCode.SYSTEM_ERROR,
                      "The consumer group <" + group + "> has no offset on " + q + "@" + topic);
                }
                long target = resetTarget(store, topic, q, timestamp, offset);
                table.put(
                    new MessageQueueKey(topic, brokerName, q),
                    force || offset >= 0 || target < committed ? target : committed);
              }
              return new ResetOffsetBody(table);
            },
            false)
        .map(body -> tellMembers(c, req, topic, group, timestamp, body));
  }

  private static long resetTarget(
      MessageStore store, String topic, int queueId, long timestamp, long offset) {
    if (offset >= 0) {
      long min = store.minOffsetInQueue(topic, queueId);
      long max = store.maxOffsetInQueue(topic, queueId);
      if (offset < min || offset > max) {
        throw new RequestException(
            ResponseCode.SYSTEM_ERROR,
            "Target offset " + offset + " not in consume queue range [" + min + "-" + max + "]");
      }
      return offset;
    }
    long target =
        timestamp == -1
            ? store.maxOffsetInQueue(topic, queueId)
            : store.offsetByTimestamp(topic, queueId, timestamp, false);
    return Math.max(0, target);
  }

  private RemotingCommand tellMembers(
      Connection c,
      RemotingCommand req,
      String topic,
      String group,
      long timestamp,
      ResetOffsetBody body) {
    ConsumerGroups.Group<Connection> g = broker.consumers().find(group);
    List<ClientChannel<Connection>> members = g == null ? List.of() : g.channels();
    if (members.isEmpty()) {
      return RemotingCommand.responseTo(
          req,
          ResponseCode.CONSUMER_NOT_ONLINE,
          "Consumer not online, so can not reset offset, Group: "
              + group
              + " Topic: "
              + topic
              + " Timestamp: "
              + timestamp);
    }
    byte[] json = ProtocolJson.write(body);
    for (ClientChannel<Connection> m : members) {
      m.connection()
          .invokeOneway(
              RemotingCommand.request(RequestCode.RESET_CONSUMER_CLIENT_OFFSET)
                  .putExt("topic", topic)
                  .putExt("group", group)
                  .putExt("timestamp", timestamp)
                  .putExt("isForce", false)
                  .putExt("queueId", -1L)
                  .setBody(json))
          .onFailure(
              e ->
                  LOG.warn(
                      "cannot tell {} of {} that its offsets on {} were reset: {}",
                      m.clientId(),
                      group,
                      topic,
                      e.toString()));
    }
    LOG.info(
        "offsets of {} on {} reset by {} to {}, told to {} members",
        group,
        topic,
        c.remoteAddress(),
        body.offsetTable().values(),
        members.size());
    return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).setBody(json);
  }
}
