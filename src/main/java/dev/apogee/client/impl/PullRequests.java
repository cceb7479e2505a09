package dev.apogee.client.impl;

import dev.apogee.client.BrokerException;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.PullResult;
import dev.apogee.client.PullStatus;
import dev.apogee.client.ReceivedMessage;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PULL_MESSAGE requests and their answers (rocketmq-protocol.md 2.5), shared by the pull and push
 * consumers, plus the small offset requests both make. Pure: no state.
 */
final class PullRequests {
  /** PullSysFlag 0x1: the request's commitOffset is to be stored. */
  static final int FLAG_COMMIT_OFFSET = 0x1;

  /** PullSysFlag 0x2: the broker may hold the pull while nothing is new (long polling). */
  static final int FLAG_SUSPEND = 0x2;

  /** PullSysFlag 0x4: the request carries its own subscription expression. */
  static final int FLAG_SUBSCRIPTION = 0x4;

  /** The byte budget the official push consumer asks for per pull. */
  static final int MAX_MSG_BYTES = 256 * 1024;

  /**
   * Time allowed for a held pull's answer beyond its suspend time: an Apache RocketMQ broker checks
   * held pulls every 5 s, so it may answer that much late; the official push consumer allows 15 s.
   */
  static final long LONG_POLL_MARGIN_MS = 15_000;

  private PullRequests() {}

  /**
   * A pull of {@code mq} at {@code offset}.
   *
   * @param sendSubscription whether to send the expression (else the broker uses the one the group
   *     registered by heartbeat)
   */
  static RemotingCommand pull(
      String group,
      MessageQueue mq,
      long offset,
      int maxNums,
      long commitOffset,
      long suspendMillis,
      Subscription sub,
      boolean sendSubscription) {
    int sysFlag = 0;
    if (commitOffset > 0) {
      sysFlag |= FLAG_COMMIT_OFFSET;
    }
    if (suspendMillis > 0) {
      sysFlag |= FLAG_SUSPEND;
    }
    if (sendSubscription) {
      sysFlag |= FLAG_SUBSCRIPTION;
    }
    Map<String, String> ext = new LinkedHashMap<>();
    ext.put("consumerGroup", group);
    ext.put("topic", mq.topic());
    ext.put("queueId", Integer.toString(mq.queueId()));
    ext.put("queueOffset", Long.toString(offset));
    ext.put("maxMsgNums", Integer.toString(maxNums));
    ext.put("sysFlag", Integer.toString(sysFlag));
    ext.put("commitOffset", Long.toString(Math.max(0, commitOffset)));
    ext.put("suspendTimeoutMillis", Long.toString(suspendMillis));
    if (sendSubscription) {
      ext.put("subscription", sub.expression());
    }
    ext.put("subVersion", Long.toString(sendSubscription ? 0 : sub.subVersion()));
    ext.put("maxMsgBytes", Integer.toString(MAX_MSG_BYTES));
    ext.put("expressionType", "TAG");
    ext.put("bname", mq.brokerName());
    return RemotingCommand.request(RequestCode.PULL_MESSAGE, ext);
  }

  /**
   * The result of a pull answer: its messages decoded and filtered again by tag, with the queue's
   * bounds added as {@code MIN_OFFSET}/{@code MAX_OFFSET} properties as the official client does.
   *
   * @throws BrokerException for a code that is not a pull outcome
   */
  static PullResult result(RemotingCommand resp, MessageQueue mq, Subscription sub, String addr) {
    PullStatus status =
        switch (resp.code()) {
          case ResponseCode.SUCCESS -> PullStatus.FOUND;
          case ResponseCode.PULL_NOT_FOUND -> PullStatus.NO_NEW_MSG;
          case ResponseCode.PULL_RETRY_IMMEDIATELY -> PullStatus.NO_MATCHED_MSG;
          case ResponseCode.PULL_OFFSET_MOVED -> PullStatus.OFFSET_ILLEGAL;
          default -> throw new BrokerException(resp.code(), resp.remark(), addr);
        };
    long next = resp.extLong("nextBeginOffset");
    long min = resp.extLong("minOffset", 0);
    long max = resp.extLong("maxOffset", 0);
    List<ReceivedMessage> messages = List.of();
    if (status == PullStatus.FOUND && resp.body() != null) {
      List<ReceivedMessage> all =
          StoredMessageDecoder.decode(resp.body(), mq.brokerName(), resp.extLong("offsetDelta", 0));
      messages = new ArrayList<>(all.size());
      for (ReceivedMessage m : all) {
        if (sub.matches(m.tags())) {
          messages.add(withBounds(m, min, max));
        }
      }
    }
    return new PullResult(status, next, min, max, messages);
  }

  private static ReceivedMessage withBounds(ReceivedMessage m, long min, long max) {
    Map<String, String> props = new LinkedHashMap<>(m.properties());
    props.put("MIN_OFFSET", Long.toString(min));
    props.put("MAX_OFFSET", Long.toString(max));
    return new ReceivedMessage(
        m.topic(),
        m.queue(),
        m.queueOffset(),
        m.body(),
        props,
        m.flag(),
        m.sysFlag(),
        m.offsetMsgId(),
        m.commitLogOffset(),
        m.bornTimestamp(),
        m.bornHost(),
        m.storeTimestamp(),
        m.storeHost(),
        m.reconsumeTimes());
  }

  /** A request about one queue: {@code topic} and {@code queueId} plus {@code more}. */
  static RemotingCommand queueRequest(int code, MessageQueue mq, Map<String, String> more) {
    Map<String, String> ext = new LinkedHashMap<>(more);
    ext.put("topic", mq.topic());
    ext.put("queueId", Integer.toString(mq.queueId()));
    ext.put("bname", mq.brokerName());
    return RemotingCommand.request(code, ext);
  }

  /**
   * QUERY_CONSUMER_OFFSET of {@code group} for {@code mq}.
   *
   * @param exact true to learn only a really committed offset; false to let the broker answer 0 for
   *     a group without one while the queue still holds its first message (the official push
   *     consumer's request, so a new group starts a young topic from its beginning)
   */
  static RemotingCommand queryOffset(String group, MessageQueue mq, boolean exact) {
    return queueRequest(
        RequestCode.QUERY_CONSUMER_OFFSET,
        mq,
        exact
            ? Map.of("consumerGroup", group, "setZeroIfNotFound", "false")
            : Map.of("consumerGroup", group));
  }

  /** UPDATE_CONSUMER_OFFSET of {@code group} for {@code mq}. */
  static RemotingCommand updateOffset(String group, MessageQueue mq, long offset) {
    return queueRequest(
        RequestCode.UPDATE_CONSUMER_OFFSET,
        mq,
        Map.of("consumerGroup", group, "commitOffset", Long.toString(offset)));
  }

  /** The group's committed offset in a QUERY_CONSUMER_OFFSET answer; -1 when there is none. */
  static long committedOffset(RemotingCommand resp, String addr) {
    if (resp.code() == ResponseCode.QUERY_NOT_FOUND) {
      return -1;
    }
    if (resp.code() != ResponseCode.SUCCESS) {
      throw new BrokerException(resp.code(), resp.remark(), addr);
    }
    return resp.extLong("offset");
  }

  /** The {@code offset} field of a SUCCESS answer. */
  static long offset(RemotingCommand resp, String addr) {
    if (resp.code() != ResponseCode.SUCCESS) {
      throw new BrokerException(resp.code(), resp.remark(), addr);
    }
    return resp.extLong("offset");
  }
}
