package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.client.ClientChannel;
import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.group.SubscriptionGroupConfig;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RemotingTimeoutException;
import dev.apogee.remoting.ResponseCode;
import dev.apogee.store.MessageStore;
import dev.apogee.store.message.MessageId;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;

/**
 * Requests the admin tools address to one consumer through its broker (protocol doc 2.7):
 * GET_CONSUMER_RUNNING_INFO ({@code mqadmin consumerStatus}) and CONSUME_MESSAGE_DIRECTLY ({@code
 * mqadmin consumeMessage}). The broker finds the consumer's connection by group and client id,
 * sends it the same request, and answers with the consumer's own response.
 */
public final class ClientRelayProcessor {
  /** How long the consumer has to answer, as RocketMQ's broker allows. */
  static final long CLIENT_TIMEOUT_MILLIS = 10_000;

  /** Clients older than RocketMQ 3.1.8 cannot answer these requests. */
  static final int MIN_CLIENT_VERSION = 62;

  private final BrokerServices broker;

  public ClientRelayProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  public Future<RemotingCommand> consumerRunningInfo(Connection c, RemotingCommand req) {
    String group = req.requireExt("consumerGroup");
    String clientId = req.requireExt("clientId");
    return relay(req, group, clientId, new HashMap<>(req.extFields()), null);
  }

  public Future<RemotingCommand> consumeMessageDirectly(Connection c, RemotingCommand req) {
    String group = req.requireExt("consumerGroup");
    String clientId = req.requireExt("clientId");
    String msgId = req.requireExt("msgId");
    MessageId.Decoded id;
    try {
      id = MessageId.decode(msgId);
    } catch (IllegalArgumentException e) {
      throw new RequestException(Headers.INVALID_PARAMETER, "invalid msgId: " + e.getMessage());
    }
    Map<String, String> ext = new HashMap<>(req.extFields());
    ext.put("brokerName", broker.config().brokerName());
    String topic = req.ext("topic");
    if (topic != null && !topic.isEmpty()) {
      TopicConfig t = broker.topics().find(topic);
      if (t != null) {
        ext.put("topicSysFlag", Integer.toString(t.topicSysFlag()));
      }
    }
    SubscriptionGroupConfig g = broker.groups().find(group);
    if (g != null) {
      ext.put("groupSysFlag", Integer.toString(g.groupSysFlag()));
    }
    MessageStore store = broker.store();
    return broker
        .vertx()
        .executeBlocking(() -> store.copyRecord(id.physicalOffset()), false)
        .compose(
            (byte[] body) -> {
              if (body == null) {
                return Future.succeededFuture(
                    RemotingCommand.responseTo(
                        req, ResponseCode.SYSTEM_ERROR, "no message with id " + msgId));
              }
              return relay(req, group, clientId, ext, body);
            });
  }

  private Future<RemotingCommand> relay(
      RemotingCommand req, String group, String clientId, Map<String, String> ext, byte[] body) {
    ClientChannel<Connection> target = find(group, clientId);
    if (target == null || !target.connection().isOpen()) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req,
              ResponseCode.SYSTEM_ERROR,
              "The Consumer <" + group + "> <" + clientId + "> not online"));
    }
    if (target.version() < MIN_CLIENT_VERSION) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req,
              ResponseCode.SYSTEM_ERROR,
              "The Consumer <"
                  + clientId
                  + "> Version <"
                  + target.version()
                  + "> too low to finish, please upgrade it to V3_1_8_SNAPSHOT"));
    }
    RemotingCommand out = RemotingCommand.request(req.code(), ext);
    if (body != null) {
      out.setBody(body);
    } else if (req.bodyBytes() != null) {
      out.setBody(req.bodyBytes());
    }
    return target
        .connection()
        .invoke(out, CLIENT_TIMEOUT_MILLIS)
        .map(answer -> copyAnswer(req, answer))
        .recover(
            e ->
                Future.succeededFuture(
                    e instanceof RemotingTimeoutException
                        ? RemotingCommand.responseTo(
                            req,
                            ResponseCode.CONSUME_MSG_TIMEOUT,
                            "consumer <"
                                + group
                                + "> <"
                                + clientId
                                + "> Timeout: "
                                + e.getMessage())
                        : RemotingCommand.responseTo(
                            req,
                            ResponseCode.SYSTEM_ERROR,
                            "invoke consumer <"
                                + group
                                + "> <"
                                + clientId
                                + "> Exception: "
                                + e.getMessage())));
  }

  private static RemotingCommand copyAnswer(RemotingCommand req, RemotingCommand answer) {
    try {
      RemotingCommand r = RemotingCommand.responseTo(req, answer.code(), answer.remark());
      Map<String, String> ext = answer.extFields();
      if (ext != null) {
        ext.forEach(r::putExt);
      }
      byte[] body = answer.bodyBytes();
      if (body != null) {
        r.setBody(body);
      }
      return r;
    } finally {
      answer.release();
    }
  }

  private ClientChannel<Connection> find(String group, String clientId) {
    ConsumerGroups.Group<Connection> g = broker.consumers().find(group);
    if (g == null) {
      return null;
    }
    for (ClientChannel<Connection> ch : g.channels()) {
      if (ch.clientId().equals(clientId)) {
        return ch;
      }
    }
    return null;
  }
}
