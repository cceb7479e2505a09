package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.client.ClientChannel;
import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.client.HeartbeatData;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.broker.topic.TopicValidator;
import dev.apogee.protocol.Perm;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HEART_BEAT, UNREGISTER_CLIENT and CHECK_CLIENT_CONFIG (protocol doc 2.6): keeps the consumer and
 * producer groups' live members and subscriptions, creates groups and their retry topics on first
 * use, and tells a clustering group's members when membership changes. A closed connection leaves
 * every group at once.
 */
public final class ClientManageProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(ClientManageProcessor.class);

  private final BrokerServices broker;

  public ClientManageProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  public Future<RemotingCommand> heartbeat(Connection c, RemotingCommand req) {
    HeartbeatData hb;
    try {
      hb = HeartbeatData.parse(req.bodyBytes() == null ? new byte[0] : req.bodyBytes());
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(req, Headers.INVALID_PARAMETER, e.getMessage()));
    }
    ClientChannel<Connection> ch =
        new ClientChannel<>(
            c,
            hb.clientID(),
            c.remoteAddress(),
            req.language() == null ? "OTHER" : req.language().name(),
            req.version());
    long now = broker.now();
    for (HeartbeatData.ConsumerData cd : hb.consumerDataSet()) {
      SubscriptionGroupConfig g = broker.groups().findOrCreate(cd.groupName());
      if (g == null) {
        continue;
      }
      if (!cd.broadcasting()) {
        broker
            .topics()
            .createIfAbsent(
                TopicValidator.RETRY_PREFIX + cd.groupName(),
                Math.max(1, g.retryQueueNums()),
                Perm.READ | Perm.WRITE);
      }
      ConsumerGroups.Change change = broker.consumers().heartbeat(ch, cd, now);
      if (change.membersChanged()) {
        LOG.info("consumer {} joined {} from {}", hb.clientID(), cd.groupName(), c.remoteAddress());
      }
      if (change.any()) {
        broker.notifyMembersChanged(cd.groupName());
      }
    }
    for (HeartbeatData.ProducerData pd : hb.producerDataSet()) {
      broker.producers().heartbeat(pd.groupName(), ch, now);
    }
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .putExt("IS_SUPPORT_HEART_BEAT_V2", "true")
            .putExt("IS_SUB_CHANGE", "true"));
  }

  public Future<RemotingCommand> unregister(Connection c, RemotingCommand req) {
    String producerGroup = req.ext("producerGroup");
    String consumerGroup = req.ext("consumerGroup");
    if (producerGroup != null) {
      broker.producers().unregister(producerGroup, c);
    }
    if (consumerGroup != null && broker.consumers().unregister(consumerGroup, c)) {
      LOG.info("consumer {} left {}", req.ext("clientID"), consumerGroup);
      broker.notifyMembersChanged(consumerGroup);
    }
    return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
  }

  /** Only non-TAG filters are checked; SQL92 is not supported by this broker yet. */
  public Future<RemotingCommand> checkClientConfig(Connection c, RemotingCommand req) {
    byte[] body = req.bodyBytes();
    String text = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
    if (text.contains("\"SQL92\"")) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req,
              ResponseCode.SUBSCRIPTION_PARSE_FAILED,
              "SQL92 filters are not supported by this broker yet"));
    }
    return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
  }

  /** A closed connection leaves every group it was in; clustering groups are told. */
  public void connectionClosed(Connection c) {
    List<String> left = broker.consumers().connectionClosed(c);
    broker.producers().connectionClosed(c);
    broker.pullWaiters().release(c);
    for (String g : left) {
      LOG.info("a consumer of {} disconnected ({})", g, c.remoteAddress());
      broker.notifyMembersChanged(g);
    }
  }
}
