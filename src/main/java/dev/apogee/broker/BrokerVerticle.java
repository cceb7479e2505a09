package dev.apogee.broker;

import dev.apogee.broker.processor.AdminBrokerProcessor;
import dev.apogee.broker.processor.AdminStatsProcessor;
import dev.apogee.broker.processor.ClientManageProcessor;
import dev.apogee.broker.processor.ConsumerManageProcessor;
import dev.apogee.broker.processor.PullMessageProcessor;
import dev.apogee.broker.processor.QueryMessageProcessor;
import dev.apogee.broker.processor.SendMessageProcessor;
import dev.apogee.remoting.RemotingServer;
import dev.apogee.remoting.RequestCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Serves the broker's port on one event loop: several instances share the port and Vert.x spreads
 * connections over them, so decoding, encoding and processing use every core. Request processors
 * are shared, stateless adapters over the {@link Broker}'s state.
 */
public final class BrokerVerticle extends VerticleBase {
  private final Broker broker;
  private final int port;
  private RemotingServer server;

  BrokerVerticle(Broker broker, int port) {
    this.broker = broker;
    this.port = port;
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    server = new RemotingServer(vertx, RemotingServer.Options.of("0.0.0.0", port));
    BrokerServices services = new BrokerServices(broker);
    SendMessageProcessor send = new SendMessageProcessor(services);
    PullMessageProcessor pull = new PullMessageProcessor(services);
    ClientManageProcessor clients = new ClientManageProcessor(services);
    ConsumerManageProcessor consumerManage = new ConsumerManageProcessor(services);
    AdminBrokerProcessor admin = new AdminBrokerProcessor(services);
    AdminStatsProcessor stats = new AdminStatsProcessor(services);
    QueryMessageProcessor query = new QueryMessageProcessor(services);
    server
        .registerProcessor(RequestCode.SEND_MESSAGE, send)
        .registerProcessor(RequestCode.SEND_MESSAGE_V2, send)
        .registerProcessor(RequestCode.SEND_BATCH_MESSAGE, send)
        .registerProcessor(RequestCode.PULL_MESSAGE, pull)
        .registerProcessor(RequestCode.LITE_PULL_MESSAGE, pull)
        .registerProcessor(RequestCode.HEART_BEAT, clients::heartbeat)
        .registerProcessor(RequestCode.UNREGISTER_CLIENT, clients::unregister)
        .registerProcessor(RequestCode.CHECK_CLIENT_CONFIG, clients::checkClientConfig)
        .registerProcessor(RequestCode.GET_CONSUMER_LIST_BY_GROUP, consumerManage::consumerList)
        .registerProcessor(RequestCode.QUERY_CONSUMER_OFFSET, consumerManage::queryOffset)
        .registerProcessor(RequestCode.UPDATE_CONSUMER_OFFSET, consumerManage::updateOffset)
        .registerProcessor(RequestCode.GET_MAX_OFFSET, consumerManage::maxOffset)
        .registerProcessor(RequestCode.GET_MIN_OFFSET, consumerManage::minOffset)
        .registerProcessor(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, consumerManage::searchOffset)
        .registerProcessor(RequestCode.GET_EARLIEST_MSG_STORETIME, consumerManage::earliestTime)
        .registerProcessor(RequestCode.UPDATE_AND_CREATE_TOPIC, admin::updateAndCreateTopic)
        .registerProcessor(RequestCode.DELETE_TOPIC_IN_BROKER, admin::deleteTopic)
        .registerProcessor(RequestCode.GET_ALL_TOPIC_CONFIG, admin::allTopicConfig)
        .registerProcessor(RequestCode.GET_TOPIC_CONFIG, admin::topicConfig)
        .registerProcessor(RequestCode.GET_BROKER_RUNTIME_INFO, admin::runtimeInfo)
        .registerProcessor(RequestCode.GET_BROKER_CONFIG, admin::brokerConfig)
        .registerProcessor(
            RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, admin::updateAndCreateGroup)
        .registerProcessor(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, admin::allGroups)
        .registerProcessor(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, admin::groupConfig)
        .registerProcessor(RequestCode.DELETE_SUBSCRIPTIONGROUP, admin::deleteGroup)
        .registerProcessor(RequestCode.GET_TOPIC_STATS_INFO, stats::topicStats)
        .registerProcessor(RequestCode.GET_CONSUME_STATS, stats::consumeStats)
        .registerProcessor(RequestCode.GET_CONSUMER_CONNECTION_LIST, stats::consumerConnections)
        .registerProcessor(RequestCode.GET_PRODUCER_CONNECTION_LIST, stats::producerConnections)
        .registerProcessor(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, stats::consumeByWho)
        .registerProcessor(RequestCode.QUERY_MESSAGE, query::queryMessage)
        .registerProcessor(RequestCode.VIEW_MESSAGE_BY_ID, query::viewMessageById)
        .connectionHandler(c -> c.onClose(clients::connectionClosed));
    return server.start();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.stop();
  }
}
