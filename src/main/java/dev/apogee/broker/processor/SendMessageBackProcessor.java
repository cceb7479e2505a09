package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.broker.schedule.ScheduledMessages;
import dev.apogee.broker.topic.TopicValidator;
import dev.apogee.config.DelayLevels;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestProcessor;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.MessageStore;
import dev.apogee.store.PutRequest;
import dev.apogee.store.log.SelectedRecord;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.MessageRecord;
import dev.apogee.store.message.RecordDecoder;
import dev.apogee.store.message.RecordEncoder;
import dev.apogee.store.message.RecordException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONSUMER_SEND_MSG_BACK (protocol doc 2.6): a clustering consumer failed a message. The broker
 * finds it by its commit log offset and writes a copy for the group's {@code %RETRY%} topic, parked
 * at a delay level (3 + times consumed, unless the client names one) so it comes back later, with
 * one more reconsume time and the original topic and message id kept in its properties. Once it was
 * consumed as often as the group allows (or the client asks with level -1), the copy goes to the
 * group's {@code %DLQ%} topic instead, where nobody consumes it.
 *
 * <p>Stateless; the record is read on a worker (it may be far behind the head of the log).
 */
public final class SendMessageBackProcessor implements RequestProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(SendMessageBackProcessor.class);

  /** Clients before V3_4_9 send no trustworthy maxReconsumeTimes. */
  private static final int VERSION_WITH_MAX_RECONSUME = 121;

  /** RocketMQ's first retry level for a message consumed n times is 3 + n (10 s, 30 s, 1 m …). */
  private static final int FIRST_RETRY_LEVEL = 3;

  private final BrokerServices broker;

  public SendMessageBackProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  /** Where a sent-back message goes and as what. */
  record SendBack(MessageDraft draft, boolean deadLetter, int level) {}

  @Override
  public Future<RemotingCommand> process(Connection c, RemotingCommand req) {
    Map<String, String> ext = req.extFields();
    long offset = Headers.longValue(ext, "offset");
    String group = Headers.string(ext, "group");
    int delayLevel = Headers.integer(ext, "delayLevel");
    Integer maxHeader =
        ext.get("maxReconsumeTimes") == null ? null : Headers.integer(ext, "maxReconsumeTimes");
    String bad = TopicValidator.checkGroup(group);
    if (bad != null) {
      throw new RequestException(Headers.INVALID_PARAMETER, bad);
    }
    SubscriptionGroupConfig g = broker.groups().findOrCreate(group);
    if (g == null) {
      throw new RequestException(
          ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "subscription group not exist, " + group);
    }
    if (g.retryQueueNums() <= 0) {
      // The group keeps no retry queue: the failed message is dropped, as RocketMQ does.
      return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
    }
    String retryTopic = TopicValidator.RETRY_PREFIX + group;
    TopicConfig rt =
        broker.topics().createIfAbsent(retryTopic, g.retryQueueNums(), Perm.READ | Perm.WRITE);
    if (!Perm.isWriteable(rt.perm())) {
      throw new RequestException(
          ResponseCode.NO_PERMISSION, "the topic[" + retryTopic + "] sending message is forbidden");
    }
    int maxReconsumeTimes =
        maxHeader != null && req.version() >= VERSION_WITH_MAX_RECONSUME
            ? maxHeader
            : g.retryMaxTimes();
    int retryQueueId = ThreadLocalRandom.current().nextInt(Math.max(1, rt.writeQueueNums()));
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(() -> lookup(store, offset), false)
        .compose(
            original -> {
              if (original == null) {
                return Future.succeededFuture(
                    RemotingCommand.responseTo(
                        req,
                        ResponseCode.SYSTEM_ERROR,
                        "look message by offset failed, " + offset));
              }
              SendBack back =
                  sendBack(
                      original,
                      group,
                      delayLevel,
                      maxReconsumeTimes,
                      retryQueueId,
                      broker.storeConfig().messageDelayLevel(),
                      broker.storeHost());
              if (back.deadLetter()) {
                broker
                    .topics()
                    .createIfAbsent(TopicValidator.DLQ_PREFIX + group, 1, Perm.READ | Perm.WRITE);
                LOG.info(
                    "message {} of {} failed in {} {} times: moved to {}",
                    original.uniqKey(),
                    original
                        .properties()
                        .getOrDefault(MessageProperties.RETRY_TOPIC, original.topic()),
                    group,
                    original.reconsumeTimes() + 1,
                    TopicValidator.DLQ_PREFIX + group);
              }
              return put(req, back.draft());
            });
  }

  private Future<RemotingCommand> put(RemotingCommand req, MessageDraft draft) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(RecordEncoder.recordLength(draft));
    try {
      // The body was stored once already, so it fits; today's maxMessageSize does not apply.
      RecordEncoder.encode(draft, buf, Integer.MAX_VALUE);
    } catch (RecordException e) {
      buf.release();
      throw new RequestException(ResponseCode.MESSAGE_ILLEGAL, e.getMessage());
    }
    return broker
        .store()
        .put(new PutRequest(draft.topic(), draft.queueId(), buf, false))
        .map(
            r -> {
              if (!r.status().stored()) {
                return RemotingCommand.responseTo(
                    req, ResponseCode.SYSTEM_ERROR, r.status().name());
              }
              broker.stats().putMessages(1);
              return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null);
            });
  }

  /** The record stored at {@code offset}, or null when there is none. Worker thread. */
  private static MessageRecord lookup(MessageStore store, long offset) {
    SelectedRecord r = store.selectRecord(offset);
    if (r == null) {
      return null;
    }
    try {
      MessageRecord m = RecordDecoder.decode(r.buffer(), 0);
      return m.physicalOffset() == offset ? m : null;
    } catch (RecordException e) {
      LOG.warn(
          "send-back of commit log offset {}: no sound record there: {}", offset, e.getMessage());
      return null;
    } finally {
      r.release();
    }
  }

  /**
   * The copy of a failed message: to the dead-letter topic once it was consumed {@code
   * maxReconsumeTimes} times or when {@code delayLevel} is negative, else parked for the retry
   * topic's queue {@code retryQueueId} at {@code delayLevel} (0: 3 + times consumed), clamped to
   * the highest level. Pure.
   */
  static SendBack sendBack(
      MessageRecord original,
      String group,
      int delayLevel,
      int maxReconsumeTimes,
      int retryQueueId,
      DelayLevels levels,
      InetSocketAddress storeHost) {
    Map<String, String> props = new LinkedHashMap<>(original.properties());
    props.putIfAbsent(MessageProperties.RETRY_TOPIC, original.topic());
    String origin = props.get(MessageProperties.ORIGIN_MESSAGE_ID);
    if (origin == null || origin.isBlank()) {
      props.put(MessageProperties.ORIGIN_MESSAGE_ID, original.msgId());
    }
    props.remove(MessageProperties.REAL_TOPIC);
    props.remove(MessageProperties.REAL_QID);
    boolean dead = original.reconsumeTimes() >= maxReconsumeTimes || delayLevel < 0;
    String topic;
    int queueId;
    int level = 0;
    if (dead) {
      props.remove(MessageProperties.DELAY);
      topic = TopicValidator.DLQ_PREFIX + group;
      queueId = 0;
    } else {
      level =
          levels.clamp(
              delayLevel == 0 ? FIRST_RETRY_LEVEL + original.reconsumeTimes() : delayLevel);
      ScheduledMessages.park(props, TopicValidator.RETRY_PREFIX + group, retryQueueId, level);
      topic = TopicValidator.SCHEDULE_TOPIC;
      queueId = ScheduledMessages.queueId(level);
    }
    MessageDraft draft =
        new MessageDraft(
            topic,
            queueId,
            original.flag(),
            original.sysFlag(),
            original.bornTimestamp(),
            original.bornHost(),
            storeHost,
            original.reconsumeTimes() + 1,
            0,
            Unpooled.wrappedBuffer(original.bodyBuffer()),
            MessageProperties.encode(props));
    return new SendBack(draft, dead, level);
  }
}
