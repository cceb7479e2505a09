package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.client.SubscriptionData;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestProcessor;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.GetResult;
import dev.apogee.store.GetStatus;
import dev.apogee.store.MessageFilter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * PULL_MESSAGE and LITE_PULL_MESSAGE (protocol doc 2.5): finds the subscription (the request's own
 * or the one registered by heartbeat), reads the queue from the store with the tag filter, and
 * answers with RocketMQ's outcome codes and offsets; the body is the stored records, written to the
 * socket from the mapped files. A pull that finds nothing new and may be held is parked until its
 * queue grows or its time runs out, then answered once.
 */
public final class PullMessageProcessor implements RequestProcessor {
  /** RocketMQ's per-pull byte budget for messages in memory. */
  private static final int MAX_TRANSFER_BYTES = 256 * 1024;

  /** Connection attribute: its held pulls are dropped when it closes (listener added once). */
  private static final String RELEASE_ON_CLOSE = "apogee.pull.releaseOnClose";

  private final BrokerServices broker;

  public PullMessageProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  @Override
  public Future<RemotingCommand> process(Connection c, RemotingCommand req) {
    PullMessageRequestHeader h;
    MessageFilter filter;
    try {
      h = PullMessageRequestHeader.from(req.extFields());
      filter = check(h);
    } catch (RequestException e) {
      return Future.succeededFuture(RemotingCommand.responseTo(req, e.code(), e.remark()));
    }
    if (h.commitOffsetFlag() && broker.config().brokerId() == 0) {
      broker.offsets().commit(h.consumerGroup(), h.topic(), h.queueId(), h.commitOffset());
    }
    RemotingCommand resp = pull(req, h, filter);
    if (resp != null || !h.suspendFlag()) {
      return Future.succeededFuture(resp != null ? resp : notFound(req, h));
    }
    // Nothing new: hold the pull until the queue grows or its time runs out.
    Promise<RemotingCommand> promise = Promise.promise();
    Context ctx = Vertx.currentContext();
    long timeout = h.suspendTimeoutMillis() > 0 ? h.suspendTimeoutMillis() : 15_000;
    broker
        .pullWaiters()
        .park(
            h.topic(),
            h.queueId(),
            h.queueOffset(),
            broker.now() + timeout,
            c,
            task -> ctx.runOnContext(v -> task.run()),
            () -> {
              RemotingCommand r = c.isOpen() ? pull(req, h, filter) : null;
              promise.tryComplete(r != null ? r : notFound(req, h));
            });
    if (c.attributes().putIfAbsent(RELEASE_ON_CLOSE, Boolean.TRUE) == null) {
      c.onClose(x -> broker.pullWaiters().release(c));
    }
    // A message that arrived between the read and the parking must not be missed.
    long max = broker.store().maxOffsetInQueue(h.topic(), h.queueId());
    if (max > h.queueOffset()) {
      broker.pullWaiters().arrived(h.topic(), h.queueId(), max);
    }
    return promise.future();
  }

  private MessageFilter check(PullMessageRequestHeader h) {
    SubscriptionGroupConfig g = broker.groups().findOrCreate(h.consumerGroup());
    if (g == null) {
      throw new RequestException(
          ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
          "the consumer group " + h.consumerGroup() + " does not exist");
    }
    if (!g.consumeEnable()) {
      throw new RequestException(
          ResponseCode.NO_PERMISSION,
          "the consumer group " + h.consumerGroup() + " may not consume");
    }
    TopicConfig t = broker.topics().find(h.topic());
    if (t == null) {
      throw new RequestException(
          ResponseCode.TOPIC_NOT_EXIST, "topic[" + h.topic() + "] not exist, apply first please!");
    }
    if (!Perm.isReadable(t.perm())) {
      throw new RequestException(
          ResponseCode.NO_PERMISSION, "the topic " + h.topic() + " is not readable");
    }
    if (h.queueId() < 0 || h.queueId() >= t.readQueueNums()) {
      throw new RequestException(
          Headers.INVALID_PARAMETER,
          "queueId "
              + h.queueId()
              + " is out of range: topic "
              + h.topic()
              + " has "
              + t.readQueueNums()
              + " read queues");
    }
    SubscriptionData sub;
    if (h.subscriptionFlag()) {
      if (h.expressionType() != null && !"TAG".equalsIgnoreCase(h.expressionType())) {
        throw new RequestException(
            ResponseCode.SUBSCRIPTION_PARSE_FAILED,
            "expression type " + h.expressionType() + " is not supported by this broker yet");
      }
      sub = SubscriptionData.ofTags(h.topic(), h.subscription(), h.subVersion());
    } else {
      if (broker.consumers().find(h.consumerGroup()) == null) {
        throw new RequestException(
            ResponseCode.SUBSCRIPTION_NOT_EXIST,
            "the consumer group " + h.consumerGroup() + " has not sent a heartbeat");
      }
      sub = broker.consumers().subscription(h.consumerGroup(), h.topic());
      if (sub == null) {
        throw new RequestException(
            ResponseCode.SUBSCRIPTION_NOT_EXIST,
            "the consumer group " + h.consumerGroup() + " is not subscribed to " + h.topic());
      }
      if (sub.subVersion() < h.subVersion()) {
        throw new RequestException(
            ResponseCode.SUBSCRIPTION_NOT_LATEST,
            "the subscription of " + h.consumerGroup() + " is older than the pull's");
      }
      if (!sub.isTagType()) {
        throw new RequestException(
            ResponseCode.SUBSCRIPTION_PARSE_FAILED,
            "expression type " + sub.expressionType() + " is not supported by this broker yet");
      }
    }
    return sub.tagFilter();
  }

  /** The answer, or null when nothing new is there (the caller may hold the pull). */
  private RemotingCommand pull(RemotingCommand req, PullMessageRequestHeader h, MessageFilter f) {
    long t0 = System.nanoTime();
    int maxBytes = Math.min(MAX_TRANSFER_BYTES, h.maxMsgBytes());
    GetResult r =
        broker
            .store()
            .getMessages(h.topic(), h.queueId(), h.queueOffset(), h.maxMsgNums(), maxBytes, f);
    int code = code(r.status(), h.queueOffset());
    if (code == ResponseCode.PULL_NOT_FOUND
        && h.suspendFlag()
        && r.status() == GetStatus.OFFSET_OVERFLOW_ONE) {
      r.release();
      return null;
    }
    broker.metrics().pullLatency(System.nanoTime() - t0);
    RemotingCommand resp = RemotingCommand.responseTo(req, code, r.status().name());
    resp.putExt("suggestWhichBrokerId", 0L)
        .putExt("nextBeginOffset", r.nextBeginOffset())
        .putExt("minOffset", r.minOffset())
        .putExt("maxOffset", r.maxOffset());
    if (r.status() == GetStatus.FOUND) {
      broker.stats().gotMessages(h.topic(), h.consumerGroup(), r.count(), r.totalBytes());
      broker.metrics().messagesOut(h.topic(), r.count(), r.totalBytes());
      resp.setBody(StoredRecordsBuf.of(r));
    } else {
      r.release();
    }
    return resp;
  }

  private RemotingCommand notFound(RemotingCommand req, PullMessageRequestHeader h) {
    long min = broker.store().minOffsetInQueue(h.topic(), h.queueId());
    long max = broker.store().maxOffsetInQueue(h.topic(), h.queueId());
    return RemotingCommand.responseTo(
            req, ResponseCode.PULL_NOT_FOUND, GetStatus.OFFSET_OVERFLOW_ONE.name())
        .putExt("suggestWhichBrokerId", 0L)
        .putExt("nextBeginOffset", h.queueOffset())
        .putExt("minOffset", min)
        .putExt("maxOffset", max);
  }

  /** RocketMQ's mapping of a store outcome to a pull response code (protocol doc 2.5). */
  static int code(GetStatus s, long requestOffset) {
    switch (s) {
      case FOUND:
        return ResponseCode.SUCCESS;
      case MESSAGE_WAS_REMOVING:
      case NO_MATCHED_MESSAGE:
        return ResponseCode.PULL_RETRY_IMMEDIATELY;
      case NO_MATCHED_LOGIC_QUEUE:
      case NO_MESSAGE_IN_QUEUE:
        return requestOffset != 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
      case OFFSET_FOUND_NULL:
      case OFFSET_OVERFLOW_ONE:
        return ResponseCode.PULL_NOT_FOUND;
      case OFFSET_OVERFLOW_BADLY:
      case OFFSET_TOO_SMALL:
      default:
        return ResponseCode.PULL_OFFSET_MOVED;
    }
  }
}
