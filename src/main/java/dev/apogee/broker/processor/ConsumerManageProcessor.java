package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.protocol.ConsumerIdList;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import java.util.List;

/**
 * A consumer's bookkeeping requests (protocol doc 2.6): who else is in its group, its committed
 * offsets, and a queue's min, max, time-searched and earliest positions. Malformed header fields
 * are answered by {@link Guarded}.
 */
public final class ConsumerManageProcessor {
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
}
