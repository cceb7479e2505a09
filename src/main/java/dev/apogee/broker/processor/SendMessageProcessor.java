package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.broker.schedule.ScheduledMessages;
import dev.apogee.broker.topic.TopicValidator;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.RequestProcessor;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.AppendResult;
import dev.apogee.store.PutRequest;
import dev.apogee.store.message.BatchDraft;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageId;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.RecordEncoder;
import dev.apogee.store.message.RecordException;
import dev.apogee.store.message.RecordLayout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SEND_MESSAGE, SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE (protocol doc 2.4): checks the topic, its
 * permission and the queue, creates the topic from TBW102 when allowed, redirects retries that ran
 * out of attempts to the group's dead-letter topic, parks a message with a delay level in the
 * schedule topic, encodes the stored record on this event loop and hands it to the store; answers
 * with the offset message id, queue (the real one for a delayed message) and queue offset.
 */
public final class SendMessageProcessor implements RequestProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(SendMessageProcessor.class);
  private static final String BORN_HOST = "apogee.bornHost";
  private static final String REGION = "DefaultRegion";

  /** Versions before this one do not send a trustworthy maxReconsumeTimes (V3_4_9). */
  private static final int VERSION_WITH_MAX_RECONSUME = 121;

  private final BrokerServices broker;

  public SendMessageProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  /** Refusals are thrown as {@link RequestException} and answered by {@link Guarded}. */
  @Override
  public Future<RemotingCommand> process(Connection c, RemotingCommand req) {
    long t0 = System.nanoTime();
    boolean batch = req.code() == RequestCode.SEND_BATCH_MESSAGE;
    SendMessageRequestHeader h =
        SendMessageRequestHeader.from(req.extFields(), req.code() != RequestCode.SEND_MESSAGE);
    String topic = h.topic();
    String bad = TopicValidator.checkTopic(topic);
    if (bad != null) {
      throw new RequestException(Headers.INVALID_PARAMETER, bad);
    }
    if (TopicValidator.isNotAllowedSend(topic)) {
      throw new RequestException(
          ResponseCode.NO_PERMISSION, "sending to the system topic " + topic + " is forbidden");
    }
    refuseUnsupported(h);
    int delayLevel = delayLevel(c, h.properties());
    if (batch && delayLevel > 0) {
      throw new RequestException(
          ResponseCode.MESSAGE_ILLEGAL, "a batch cannot be delayed (DELAY " + delayLevel + ")");
    }
    int reconsumeTimes = h.reconsumeTimes() == null ? 0 : h.reconsumeTimes();
    if (topic.startsWith(TopicValidator.RETRY_PREFIX)) {
      topic = retryTarget(req, h, topic, reconsumeTimes);
    }
    TopicConfig t = topicFor(topic, h);
    if (!Perm.isWriteable(t.perm())) {
      throw new RequestException(
          ResponseCode.NO_PERMISSION,
          "the topic " + topic + " is not writable (perm " + t.perm() + ")");
    }
    int queueId = h.queueId();
    int queues = Math.max(t.readQueueNums(), t.writeQueueNums());
    if (!topic.equals(h.topic())) {
      queueId = ThreadLocalRandom.current().nextInt(Math.max(1, t.writeQueueNums()));
    } else if (queueId < 0) {
      queueId = ThreadLocalRandom.current().nextInt(Math.max(1, t.writeQueueNums()));
    } else if (queueId >= queues) {
      throw new RequestException(
          Headers.INVALID_PARAMETER,
          "queueId " + queueId + " is out of range: topic " + topic + " has " + queues + " queues");
    }
    InetSocketAddress bornHost = bornHost(c);
    InetSocketAddress storeHost = broker.storeHost();
    int maxBody = broker.storeConfig().maxMessageSize();
    ByteBuf body = req.body() == null ? Unpooled.EMPTY_BUFFER : req.body();
    ByteBuf records;
    boolean wait;
    String storeTopic = topic;
    int storeQueueId = queueId;
    try {
      if (batch) {
        BatchDraft d =
            new BatchDraft(
                topic,
                queueId,
                h.sysFlag(),
                h.bornTimestamp(),
                bornHost,
                storeHost,
                reconsumeTimes,
                body);
        records = PooledByteBufAllocator.DEFAULT.directBuffer(body.readableBytes() + 256 * 4);
        try {
          RecordEncoder.encodeBatch(d, records, maxBody);
        } catch (RuntimeException e) {
          records.release();
          throw e;
        }
        wait =
            !"false".equals(MessageProperties.decode(h.properties()).get(MessageProperties.WAIT));
      } else {
        String props = completeProperties(h.properties());
        if (delayLevel > 0 && !topic.startsWith(TopicValidator.DLQ_PREFIX)) {
          // Parked in the level's queue of the schedule topic until due (protocol doc 5.8).
          int level = broker.storeConfig().messageDelayLevel().clamp(delayLevel);
          props = parked(props, topic, queueId, level);
          storeTopic = TopicValidator.SCHEDULE_TOPIC;
          storeQueueId = ScheduledMessages.queueId(level);
        }
        MessageDraft d =
            new MessageDraft(
                storeTopic,
                storeQueueId,
                h.flag(),
                h.sysFlag(),
                h.bornTimestamp(),
                bornHost,
                storeHost,
                reconsumeTimes,
                0,
                body,
                props);
        records = PooledByteBufAllocator.DEFAULT.directBuffer(RecordEncoder.recordLength(d));
        try {
          RecordEncoder.encode(d, records, maxBody);
        } catch (RuntimeException e) {
          records.release();
          throw e;
        }
        wait = !props.contains(MessageProperties.WAIT + "\u0001false\u0002");
      }
    } catch (RecordException e) {
      throw new RequestException(ResponseCode.MESSAGE_ILLEGAL, e.getMessage());
    }
    int[] sizes = batch ? recordSizes(records) : null;
    int finalQueueId = queueId;
    String finalTopic = topic;
    long recordBytes = records.readableBytes();
    return broker
        .store()
        .put(new PutRequest(storeTopic, storeQueueId, records, wait))
        .map(
            r -> {
              if (r.status().stored()) {
                int n = sizes == null ? 1 : sizes.length;
                broker.stats().putMessages(finalTopic, n, recordBytes);
                broker.metrics().messagesIn(finalTopic, n, recordBytes);
              }
              broker.metrics().sendLatency(System.nanoTime() - t0);
              return response(req, r, finalQueueId, storeHost, sizes);
            });
  }

  /**
   * Refuses what this broker cannot honour yet, rather than deliver it at the wrong time:
   * transactional half messages and messages with a delivery time (the timer properties).
   */
  private static void refuseUnsupported(SendMessageRequestHeader h) {
    if ((h.sysFlag() & RecordLayout.TRANSACTION_TYPE_MASK)
        == RecordLayout.TRANSACTION_PREPARED_TYPE) {
      throw new RequestException(
          ResponseCode.NO_PERMISSION,
          "transactional messages are not supported by this broker yet");
    }
    String props = h.properties();
    if (props == null || props.isEmpty()) {
      return;
    }
    if (hasKey(props, MessageProperties.TIMER_DELIVER_MS)
        || hasKey(props, MessageProperties.TIMER_DELAY_SEC)
        || hasKey(props, MessageProperties.TIMER_DELAY_MS)) {
      throw new RequestException(
          ResponseCode.NO_PERMISSION,
          "messages with a delivery time (TIMER_* properties) are not supported by this broker"
              + " yet; delay levels are");
    }
  }

  /**
   * The DELAY level of the message, 0 without one (or with 0 or less: no delay, as RocketMQ reads
   * it). Costs one scan of the properties when there is none.
   */
  private static int delayLevel(Connection c, String props) {
    if (props == null || !hasKey(props, MessageProperties.DELAY)) {
      return 0;
    }
    String v = value(props, MessageProperties.DELAY);
    if (v.isBlank()) {
      // An empty value is no property at all in RocketMQ's decoding.
      return 0;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      LOG.warn("refused a send from {}: DELAY property '{}' is not a number", c.remoteAddress(), v);
      throw new RequestException(
          ResponseCode.MESSAGE_ILLEGAL,
          "the DELAY property must be a delay level (a whole number), was '" + v + "'");
    }
  }

  /**
   * Properties of a delayed message parked in the schedule topic: the producer's, with the
   * (clamped) level and the real topic and queue.
   */
  private static String parked(String props, String realTopic, int realQueueId, int level) {
    Map<String, String> m = MessageProperties.decode(props);
    ScheduledMessages.park(m, realTopic, realQueueId, level);
    return MessageProperties.encode(m);
  }

  private static String value(String props, String key) {
    int from = 0;
    while (true) {
      int at = props.indexOf(key + '\u0001', from);
      if (at < 0) {
        return null;
      }
      if (at == 0 || props.charAt(at - 1) == '\u0002') {
        int start = at + key.length() + 1;
        int end = props.indexOf('\u0002', start);
        return props.substring(start, end < 0 ? props.length() : end);
      }
      from = at + 1;
    }
  }

  /**
   * The topic a retried message goes to: its group's retry topic, or, once it has been retried more
   * than the group allows, the group's dead-letter topic.
   */
  private String retryTarget(
      RemotingCommand req, SendMessageRequestHeader h, String topic, int reconsumeTimes) {
    String group = topic.substring(TopicValidator.RETRY_PREFIX.length());
    SubscriptionGroupConfig g = broker.groups().findOrCreate(group);
    if (g == null) {
      throw new RequestException(
          ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
          "the consumer group " + group + " does not exist");
    }
    int max =
        h.maxReconsumeTimes() != null && req.version() >= VERSION_WITH_MAX_RECONSUME
            ? h.maxReconsumeTimes()
            : g.retryMaxTimes();
    if (reconsumeTimes > max) {
      String dlq = TopicValidator.DLQ_PREFIX + group;
      broker.topics().createIfAbsent(dlq, 1, Perm.READ | Perm.WRITE);
      return dlq;
    }
    return topic;
  }

  private TopicConfig topicFor(String topic, SendMessageRequestHeader h) {
    TopicConfig t = broker.topics().find(topic);
    if (t != null) {
      return t;
    }
    if (topic.startsWith(TopicValidator.RETRY_PREFIX)) {
      SubscriptionGroupConfig g =
          broker.groups().findOrCreate(topic.substring(TopicValidator.RETRY_PREFIX.length()));
      int n = g == null ? 1 : Math.max(1, g.retryQueueNums());
      return broker.topics().createIfAbsent(topic, n, Perm.READ | Perm.WRITE);
    }
    if (broker.config().autoCreateTopicEnable()) {
      t = broker.topics().createFromDefault(topic, h.defaultTopic(), h.defaultTopicQueueNums());
    }
    if (t == null) {
      throw new RequestException(
          ResponseCode.TOPIC_NOT_EXIST, "topic[" + topic + "] not exist, apply first please!");
    }
    return t;
  }

  /** The producer's properties plus CLUSTER, and a UNIQ_KEY when the producer sent none. */
  private String completeProperties(String props) {
    String p = props == null ? "" : props;
    StringBuilder sb = new StringBuilder(p.length() + 64).append(p);
    if (!hasKey(p, MessageProperties.UNIQ_KEY)) {
      sb.append(MessageProperties.UNIQ_KEY)
          .append('\u0001')
          .append(broker.uniqIds().next())
          .append('\u0002');
    }
    if (!hasKey(p, MessageProperties.CLUSTER)) {
      sb.append(MessageProperties.CLUSTER)
          .append('\u0001')
          .append(broker.config().brokerClusterName())
          .append('\u0002');
    }
    return sb.toString();
  }

  // Without building "key\u0001" per call: this runs for every message sent.
  private static boolean hasKey(String props, String key) {
    int from = 0;
    while (true) {
      int at = props.indexOf(key, from);
      if (at < 0) {
        return false;
      }
      int end = at + key.length();
      if ((at == 0 || props.charAt(at - 1) == '\u0002')
          && end < props.length()
          && props.charAt(end) == '\u0001') {
        return true;
      }
      from = at + 1;
    }
  }

  private static int[] recordSizes(ByteBuf records) {
    int n = 0;
    for (int p = records.readerIndex(); p < records.writerIndex(); p += records.getInt(p)) {
      n++;
    }
    int[] sizes = new int[n];
    int i = 0;
    for (int p = records.readerIndex(); p < records.writerIndex(); p += records.getInt(p)) {
      sizes[i++] = records.getInt(p);
    }
    return sizes;
  }

  private static RemotingCommand response(
      RemotingCommand req, AppendResult r, int queueId, InetSocketAddress storeHost, int[] sizes) {
    int code;
    String remark = null;
    switch (r.status()) {
      case PUT_OK:
        code = ResponseCode.SUCCESS;
        break;
      case FLUSH_DISK_TIMEOUT:
        code = ResponseCode.FLUSH_DISK_TIMEOUT;
        break;
      case MESSAGE_ILLEGAL:
        code = ResponseCode.MESSAGE_ILLEGAL;
        remark = "the message is illegal or larger than a commit log file";
        break;
      case DISK_FULL:
        code = ResponseCode.SERVICE_NOT_AVAILABLE;
        remark = "the broker's disk is full: messages are refused until space returns";
        break;
      case SERVICE_NOT_AVAILABLE:
        code = ResponseCode.SERVICE_NOT_AVAILABLE;
        remark = "the message store is not available (shutting down or failed)";
        break;
      default:
        code = ResponseCode.SYSTEM_ERROR;
        remark = "the message could not be stored";
        break;
    }
    RemotingCommand resp = RemotingCommand.responseTo(req, code, remark);
    if (r.status().stored()) {
      String msgId;
      if (sizes == null) {
        msgId = MessageId.encode(storeHost, r.physicalOffset());
      } else {
        StringBuilder sb = new StringBuilder();
        long phy = r.physicalOffset();
        for (int i = 0; i < sizes.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(MessageId.encode(storeHost, phy));
          phy += sizes[i];
        }
        msgId = sb.toString();
      }
      resp.putExt("msgId", msgId).putExt("queueId", queueId).putExt("queueOffset", r.queueOffset());
    }
    // The client reads these without a null check (pitfall P3): always present.
    resp.putExt("MSG_REGION", REGION).putExt("TRACE_ON", "true");
    return resp;
  }

  private static InetSocketAddress bornHost(Connection c) {
    Object cached = c.attributes().get(BORN_HOST);
    if (cached != null) {
      return (InetSocketAddress) cached;
    }
    String addr = c.remoteAddress();
    int colon = addr.lastIndexOf(':');
    InetSocketAddress a;
    try {
      String host = addr.substring(0, colon).replace("[", "").replace("]", "");
      a =
          new InetSocketAddress(
              InetAddress.getByName(host), Integer.parseInt(addr.substring(colon + 1)));
    } catch (UnknownHostException | RuntimeException e) {
      LOG.warn("cannot read the client address {}: {}", addr, e.toString());
      a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
    c.attributes().put(BORN_HOST, a);
    return a;
  }
}
