package dev.apogee.broker;

import dev.apogee.broker.processor.AdminBrokerProcessor;
import dev.apogee.broker.processor.AdminStatsProcessor;
import dev.apogee.broker.processor.ClientManageProcessor;
import dev.apogee.broker.processor.ClientRelayProcessor;
import dev.apogee.broker.processor.ConsumerManageProcessor;
import dev.apogee.broker.processor.DelayOffsetProcessor;
import dev.apogee.broker.processor.Guarded;
import dev.apogee.broker.processor.PullMessageProcessor;
import dev.apogee.broker.processor.QueryMessageProcessor;
import dev.apogee.broker.processor.SendMessageBackProcessor;
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
    ClientRelayProcessor relay = new ClientRelayProcessor(services);
    server
        .registerProcessor(RequestCode.SEND_MESSAGE, Guarded.of(send))
        .registerProcessor(RequestCode.SEND_MESSAGE_V2, Guarded.of(send))
        .registerProcessor(RequestCode.SEND_BATCH_MESSAGE, Guarded.of(send))
        .registerProcessor(
            RequestCode.CONSUMER_SEND_MSG_BACK, Guarded.of(new SendMessageBackProcessor(services)))
        .registerProcessor(
            RequestCode.GET_ALL_DELAY_OFFSET, Guarded.of(new DelayOffsetProcessor(services)))
        .registerProcessor(RequestCode.PULL_MESSAGE, Guarded.of(pull))
        .registerProcessor(RequestCode.LITE_PULL_MESSAGE, Guarded.of(pull))
        .registerProcessor(RequestCode.HEART_BEAT, Guarded.of(clients::heartbeat))
        .registerProcessor(RequestCode.UNREGISTER_CLIENT, Guarded.of(clients::unregister))
        .registerProcessor(RequestCode.CHECK_CLIENT_CONFIG, Guarded.of(clients::checkClientConfig))
        .registerProcessor(
            RequestCode.GET_CONSUMER_LIST_BY_GROUP, Guarded.of(consumerManage::consumerList))
        .registerProcessor(
            RequestCode.QUERY_CONSUMER_OFFSET, Guarded.of(consumerManage::queryOffset))
        .registerProcessor(
            RequestCode.UPDATE_CONSUMER_OFFSET, Guarded.of(consumerManage::updateOffset))
        .registerProcessor(RequestCode.GET_MAX_OFFSET, Guarded.of(consumerManage::maxOffset))
        .registerProcessor(RequestCode.GET_MIN_OFFSET, Guarded.of(consumerManage::minOffset))
        .registerProcessor(
            RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, Guarded.of(consumerManage::searchOffset))
        .registerProcessor(
            RequestCode.GET_EARLIEST_MSG_STORETIME, Guarded.of(consumerManage::earliestTime))
        .registerProcessor(
            RequestCode.UPDATE_AND_CREATE_TOPIC, Guarded.of(admin::updateAndCreateTopic))
        .registerProcessor(
            RequestCode.UPDATE_AND_CREATE_TOPIC_LIST, Guarded.of(admin::updateAndCreateTopicList))
        .registerProcessor(RequestCode.DELETE_TOPIC_IN_BROKER, Guarded.of(admin::deleteTopic))
        .registerProcessor(RequestCode.GET_ALL_TOPIC_CONFIG, Guarded.of(admin::allTopicConfig))
        .registerProcessor(RequestCode.GET_TOPIC_CONFIG, Guarded.of(admin::topicConfig))
        .registerProcessor(RequestCode.GET_BROKER_RUNTIME_INFO, Guarded.of(admin::runtimeInfo))
        .registerProcessor(RequestCode.GET_BROKER_CONFIG, Guarded.of(admin::brokerConfig))
        .registerProcessor(RequestCode.UPDATE_BROKER_CONFIG, Guarded.of(admin::updateBrokerConfig))
        .registerProcessor(
            RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
            Guarded.of(admin::updateAndCreateGroup))
        .registerProcessor(
            RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST,
            Guarded.of(admin::updateAndCreateGroupList))
        .registerProcessor(
            RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, Guarded.of(admin::allGroups))
        .registerProcessor(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, Guarded.of(admin::groupConfig))
        .registerProcessor(RequestCode.DELETE_SUBSCRIPTIONGROUP, Guarded.of(admin::deleteGroup))
        .registerProcessor(RequestCode.GET_TOPIC_STATS_INFO, Guarded.of(stats::topicStats))
        .registerProcessor(RequestCode.GET_CONSUME_STATS, Guarded.of(stats::consumeStats))
        .registerProcessor(
            RequestCode.GET_CONSUMER_CONNECTION_LIST, Guarded.of(stats::consumerConnections))
        .registerProcessor(
            RequestCode.GET_PRODUCER_CONNECTION_LIST, Guarded.of(stats::producerConnections))
        .registerProcessor(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, Guarded.of(stats::consumeByWho))
        .registerProcessor(RequestCode.VIEW_BROKER_STATS_DATA, Guarded.of(stats::brokerStatsData))
        .registerProcessor(
            RequestCode.GET_BROKER_CONSUME_STATS, Guarded.of(stats::brokerConsumeStats))
        .registerProcessor(
            RequestCode.QUERY_CONSUME_QUEUE, Guarded.of(consumerManage::queryConsumeQueue))
        .registerProcessor(
            RequestCode.CLONE_GROUP_OFFSET, Guarded.of(consumerManage::cloneGroupOffset))
        .registerProcessor(
            RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, Guarded.of(consumerManage::resetOffset))
        .registerProcessor(RequestCode.QUERY_MESSAGE, Guarded.of(query::queryMessage))
        .registerProcessor(RequestCode.VIEW_MESSAGE_BY_ID, Guarded.of(query::viewMessageById))
        .registerProcessor(
            RequestCode.GET_CONSUMER_RUNNING_INFO, Guarded.of(relay::consumerRunningInfo))
        .registerProcessor(
            RequestCode.CONSUME_MESSAGE_DIRECTLY, Guarded.of(relay::consumeMessageDirectly))
        .connectionHandler(c -> c.onClose(clients::connectionClosed));
    return server.start();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.stop();
  }
}
