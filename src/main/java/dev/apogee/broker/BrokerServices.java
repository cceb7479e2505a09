package dev.apogee.broker;

import dev.apogee.broker.client.ConsumerGroups;
import dev.apogee.broker.client.ProducerGroups;
import dev.apogee.broker.group.SubscriptionGroupManager;
import dev.apogee.broker.longpoll.PullWaiters;
import dev.apogee.broker.offset.ConsumerOffsetManager;
import dev.apogee.broker.schedule.ScheduleMessageService;
import dev.apogee.broker.topic.TopicConfigManager;
import dev.apogee.config.BrokerConfig;
import dev.apogee.config.StoreConfig;
import dev.apogee.metrics.BrokerMetrics;
import dev.apogee.remoting.Connection;
import dev.apogee.store.MessageStore;
import dev.apogee.store.message.UniqIdGenerator;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;

/**
 * What request processors may use of a {@link Broker}: its state and a few actions. Keeps the
 * processors apart from the broker's lifecycle. Thread-safe as the parts are.
 */
public final class BrokerServices {
  private final Broker broker;

  BrokerServices(Broker broker) {
    this.broker = broker;
  }

  public BrokerConfig config() {
    return broker.config;
  }

  public StoreConfig storeConfig() {
    return broker.storeConfig;
  }

  public MessageStore store() {
    return broker.store;
  }

  public TopicConfigManager topics() {
    return broker.topics;
  }

  public SubscriptionGroupManager groups() {
    return broker.groups;
  }

  public ConsumerOffsetManager offsets() {
    return broker.offsets;
  }

  public ConsumerGroups<Connection> consumers() {
    return broker.consumers;
  }

  public ProducerGroups<Connection> producers() {
    return broker.producers;
  }

  public PullWaiters pullWaiters() {
    return broker.pullWaiters;
  }

  public BrokerMetrics metrics() {
    return broker.metrics;
  }

  public BrokerStats stats() {
    return broker.stats;
  }

  /** Delayed delivery, or null on a slave. */
  public ScheduleMessageService schedule() {
    return broker.schedule;
  }

  public UniqIdGenerator uniqIds() {
    return broker.uniqIds;
  }

  public InetSocketAddress storeHost() {
    return broker.storeHost();
  }

  /** The broker's Vert.x instance, for handing blocking reads to a worker. */
  public Vertx vertx() {
    return broker.vertx;
  }

  /** {@code ip:port} clients reach this broker at. */
  public String brokerAddr() {
    return broker.brokerAddr();
  }

  public long now() {
    return broker.clock.getAsLong();
  }

  /** Tells a clustering group's members that its membership changed. */
  public void notifyMembersChanged(String group) {
    ClientNotifier.membersChanged(broker, group);
  }
}
