package dev.apogee.gateway;

import dev.apogee.client.ReceivedMessage;
import dev.apogee.client.impl.StoredMessageDecoder;
import dev.apogee.protocol.BrokerData;
import dev.apogee.protocol.ClusterInfo;
import dev.apogee.protocol.ConsumeStats;
import dev.apogee.protocol.MessageQueueKey;
import dev.apogee.protocol.OffsetWrapper;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.QueueData;
import dev.apogee.protocol.ResetOffsetBody;
import dev.apogee.protocol.TopicList;
import dev.apogee.protocol.TopicOffset;
import dev.apogee.protocol.TopicRouteData;
import dev.apogee.protocol.TopicStatsTable;
import dev.apogee.remoting.RemotingClient;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The topic administration the gateway offers, as remoting requests to the name servers and the
 * master brokers (the requests RocketMQ's admin API sends), so that it works the same in the
 * broker's process and in a gateway process of its own. Futures complete on the caller's context
 * for callers on a Vert.x context.
 */
public final class ClusterAdmin implements AutoCloseable {
  private static final long TIMEOUT_MS = 10_000;

  /** A failed request: the RocketMQ response code and the remark. */
  public static final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    AdminException(int code, String message) {
      super(message);
      this.code = code;
    }

    /** The response code of the refusing name server or broker. */
    public int code() {
      return code;
    }
  }

  /** One queue of a topic on one broker group, with its offsets. */
  public record QueueInfo(String brokerName, int queueId, TopicOffset offsets) {}

  private static final long ROUTE_WAIT_MS = 10_000;
  private static final long ROUTE_POLL_MS = 20;

  private final Vertx vertx;
  private final RemotingClient client;
  private final List<String> nameServers;

  /** Requests go to {@code nameServers} ({@code host:port;host:port}). */
  public ClusterAdmin(Vertx vertx, String nameServers) {
    this.vertx = vertx;
    this.client = new RemotingClient(vertx, RemotingClient.Options.defaults());
    List<String> list = new ArrayList<>();
    for (String s : nameServers.split(";")) {
      if (!s.isBlank()) {
        list.add(s.trim());
      }
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no name server address in '" + nameServers + "'");
    }
    this.nameServers = List.copyOf(list);
  }

  /** Master broker addresses by broker name, from the first name server. */
  public Future<Map<String, String>> masters() {
    return call(
        nameServers.get(0),
        RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO),
        "cluster info",
        r -> {
          ClusterInfo info = ProtocolJson.readTolerant(r.bodyBytes(), ClusterInfo::readJson);
          Map<String, String> out = new TreeMap<>();
          for (BrokerData b : info.brokerAddrTable().values()) {
            String addr = b.brokerAddrs().get(0L);
            if (addr != null) {
              out.put(b.brokerName(), addr);
            }
          }
          return out;
        });
  }

  /** Every topic the name server knows, system topics included. */
  public Future<List<String>> topics() {
    return call(
        nameServers.get(0),
        RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
        "topic list",
        r -> {
          TopicList list = ProtocolJson.readTolerant(r.bodyBytes(), TopicList::readJson);
          return list.topicList().stream().sorted().toList();
        });
  }

  /** The route of {@code topic}; fails with code TOPIC_NOT_EXIST when no broker serves it. */
  public Future<TopicRouteData> route(String topic) {
    return call(
        nameServers.get(0),
        RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", topic)),
        "route of " + topic,
        r -> ProtocolJson.readTolerant(r.bodyBytes(), TopicRouteData::readJson));
  }

  /**
   * Creates or updates {@code topic} with {@code queues} read and write queues on every master, and
   * completes once the name server routes it to all of them (brokers register a topic change at
   * once, but asynchronously), so that the topic can be used as soon as this completes.
   */
  public Future<Void> createTopic(String topic, int queues) {
    return masters()
        .compose(
            m -> {
              if (m.isEmpty()) {
                return Future.failedFuture(
                    new AdminException(
                        ResponseCode.SYSTEM_ERROR, "the name server knows no master broker"));
              }
              List<Future<Void>> all = new ArrayList<>();
              for (String addr : m.values()) {
                RemotingCommand req =
                    RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC)
                        .putExt("topic", topic)
                        .putExt("defaultTopic", "TBW102")
                        .putExt("readQueueNums", queues)
                        .putExt("writeQueueNums", queues)
                        .putExt("perm", 6)
                        .putExt("topicFilterType", "SINGLE_TAG")
                        .putExt("topicSysFlag", 0)
                        .putExt("order", false);
                all.add(call(addr, req, "create " + topic + " on " + addr, r -> null));
              }
              return Future.all(all)
                  .compose(
                      x ->
                          awaitRoute(
                              topic, m.keySet(), System.currentTimeMillis() + ROUTE_WAIT_MS));
            });
  }

  private Future<Void> awaitRoute(String topic, Set<String> brokers, long deadline) {
    return route(topic)
        .map(r -> r.brokerDatas().stream().map(BrokerData::brokerName).toList())
        .otherwise(e -> List.of())
        .compose(
            routed -> {
              if (routed.containsAll(brokers)) {
                return Future.succeededFuture();
              }
              if (System.currentTimeMillis() > deadline) {
                return Future.failedFuture(
                    new AdminException(
                        ResponseCode.SYSTEM_ERROR,
                        "created "
                            + topic
                            + " on "
                            + brokers
                            + ", but after "
                            + ROUTE_WAIT_MS
                            + " ms the name server routes it to "
                            + routed
                            + " only"));
              }
              return vertx.timer(ROUTE_POLL_MS).compose(t -> awaitRoute(topic, brokers, deadline));
            });
  }

  /**
   * The queues of {@code topic} on every broker group that serves it, with their offsets; fails
   * with TOPIC_NOT_EXIST when none does.
   */
  public Future<List<QueueInfo>> describe(String topic) {
    return route(topic)
        .compose(
            route -> {
              List<Future<TopicStatsTable>> all = new ArrayList<>();
              for (String addr : masterAddresses(route)) {
                all.add(
                    call(
                        addr,
                        RemotingCommand.request(
                            RequestCode.GET_TOPIC_STATS_INFO, Map.of("topic", topic)),
                        "stats of " + topic + " on " + addr,
                        r -> ProtocolJson.readTolerant(r.bodyBytes(), TopicStatsTable::readJson)));
              }
              return Future.all(all)
                  .map(
                      x -> {
                        Map<MessageQueueKey, TopicOffset> merged = new TreeMap<>();
                        for (Future<TopicStatsTable> f : all) {
                          merged.putAll(f.result().offsetTable());
                        }
                        List<QueueInfo> out = new ArrayList<>();
                        merged.forEach(
                            (k, v) -> out.add(new QueueInfo(k.brokerName(), k.queueId(), v)));
                        return out;
                      });
            });
  }

  /**
   * Deletes {@code topic} from every master that serves it, then from every name server; fails with
   * TOPIC_NOT_EXIST when no broker serves it.
   */
  public Future<Void> deleteTopic(String topic) {
    return route(topic)
        .compose(
            route -> {
              List<Future<Void>> brokers = new ArrayList<>();
              for (String addr : masterAddresses(route)) {
                brokers.add(
                    call(
                        addr,
                        RemotingCommand.request(
                            RequestCode.DELETE_TOPIC_IN_BROKER, Map.of("topic", topic)),
                        "delete " + topic + " on " + addr,
                        r -> null));
              }
              return Future.all(brokers);
            })
        .compose(
            x -> {
              List<Future<Void>> all = new ArrayList<>();
              for (String ns : nameServers) {
                all.add(
                    call(
                        ns,
                        RemotingCommand.request(
                            RequestCode.DELETE_TOPIC_IN_NAMESRV, Map.of("topic", topic)),
                        "delete " + topic + " on name server " + ns,
                        r -> null));
              }
              return Future.all(all).mapEmpty();
            });
  }

  /**
   * Messages of {@code topic} indexed under {@code key} on every master that serves the topic, at
   * most {@code max} from each; with {@code uniqueKey} the key is a message id ({@code UNIQ_KEY}),
   * as RocketMQ's admin API looks a message up by id. Only messages of {@code topic} that really
   * carry the key are returned (the index is a hash index). Fails with TOPIC_NOT_EXIST when no
   * broker serves the topic.
   */
  public Future<List<ReceivedMessage>> queryByKey(
      String topic, String key, int max, boolean uniqueKey) {
    return route(topic)
        .compose(
            route -> {
              List<Future<List<ReceivedMessage>>> all = new ArrayList<>();
              for (BrokerData b : route.brokerDatas()) {
                String addr = b.brokerAddrs().get(0L);
                if (addr == null) {
                  continue;
                }
                RemotingCommand req =
                    RemotingCommand.request(RequestCode.QUERY_MESSAGE)
                        .putExt("topic", topic)
                        .putExt("key", key)
                        .putExt("maxNum", max)
                        .putExt("beginTimestamp", 0L)
                        .putExt("endTimestamp", Long.MAX_VALUE);
                if (uniqueKey) {
                  req.putExt("_UNIQUE_KEY_QUERY", "true");
                }
                all.add(
                    call(
                            addr,
                            req,
                            "query of " + topic + " on " + addr,
                            r ->
                                r.body() == null
                                    ? List.<ReceivedMessage>of()
                                    : StoredMessageDecoder.decode(r.body(), b.brokerName(), 0))
                        .recover(
                            e ->
                                e instanceof AdminException a
                                        && a.code() == ResponseCode.QUERY_NOT_FOUND
                                    ? Future.succeededFuture(List.of())
                                    : Future.failedFuture(e)));
              }
              return Future.all(all)
                  .map(
                      x -> {
                        List<ReceivedMessage> out = new ArrayList<>();
                        for (Future<List<ReceivedMessage>> f : all) {
                          for (ReceivedMessage m : f.result()) {
                            boolean match =
                                uniqueKey ? key.equals(m.msgId()) : m.keys().contains(key);
                            if (m.topic().equals(topic) && match) {
                              out.add(m);
                            }
                          }
                        }
                        return out;
                      });
            });
  }

  /**
   * Sum over every master and queue {@code 0..queues-1} of {@code topic}'s max offset: how many
   * messages the brokers hold (the bench's check that every acknowledged message is stored).
   */
  public Future<Long> totalMaxOffset(String topic, int queues) {
    return masters()
        .compose(
            m -> {
              List<Future<Long>> all = new ArrayList<>();
              for (String addr : m.values()) {
                for (int q = 0; q < queues; q++) {
                  all.add(queueOffset(addr, RequestCode.GET_MAX_OFFSET, topic, q));
                }
              }
              return Future.all(all)
                  .map(
                      x -> {
                        long sum = 0;
                        for (Future<Long> f : all) {
                          sum += f.result();
                        }
                        return sum;
                      });
            });
  }

  /** One queue's consumption by a group. */
  public record GroupQueue(MessageQueueKey queue, OffsetWrapper offsets) {}

  /**
   * The progress of {@code group} on {@code topic} (null: every topic the group has offsets on) on
   * every master: broker and committed offsets per queue.
   */
  public Future<List<GroupQueue>> groupOffsets(String group, String topic) {
    Future<Collection<String>> brokers =
        topic == null
            ? masters().<Collection<String>>map(Map::values)
            : route(topic).map(ClusterAdmin::masterAddresses);
    return brokers.compose(
        addrs -> {
          List<Future<ConsumeStats>> all = new ArrayList<>();
          for (String addr : addrs) {
            RemotingCommand req =
                RemotingCommand.request(RequestCode.GET_CONSUME_STATS)
                    .putExt("consumerGroup", group);
            if (topic != null) {
              req.putExt("topic", topic);
            }
            all.add(
                call(
                    addr,
                    req,
                    "offsets of " + group + " on " + addr,
                    r -> ProtocolJson.readTolerant(r.bodyBytes(), ConsumeStats::readJson)));
          }
          return Future.all(all)
              .map(
                  x -> {
                    Map<MessageQueueKey, OffsetWrapper> merged = new TreeMap<>();
                    for (Future<ConsumeStats> f : all) {
                      merged.putAll(f.result().offsetTable());
                    }
                    List<GroupQueue> out = new ArrayList<>();
                    merged.forEach((k, v) -> out.add(new GroupQueue(k, v)));
                    return out;
                  });
        });
  }

  /**
   * Sets {@code group}'s offsets on {@code topic} to {@code offset} in every queue (clamped to the
   * queue's stored range), or when {@code offset} is negative to the first message stored at or
   * after {@code timestamp}. Live members of the group are told through the broker and commit the
   * new offsets themselves; without live members (or when the broker cannot tell them) the offsets
   * are committed here. Answers the new offset of each queue.
   */
  public Future<Map<MessageQueueKey, Long>> resetOffsets(
      String group, String topic, long timestamp, long offset) {
    return route(topic)
        .compose(
            route -> {
              List<Future<Map<MessageQueueKey, Long>>> all = new ArrayList<>();
              for (BrokerData b : route.brokerDatas()) {
                String addr = b.brokerAddrs().get(0L);
                int queues =
                    route.queueDatas().stream()
                        .filter(q -> q.brokerName().equals(b.brokerName()))
                        .mapToInt(QueueData::writeQueueNums)
                        .max()
                        .orElse(0);
                if (addr != null && queues > 0) {
                  all.add(resetOn(addr, b.brokerName(), queues, group, topic, timestamp, offset));
                }
              }
              return Future.all(all)
                  .map(
                      x -> {
                        Map<MessageQueueKey, Long> out = new TreeMap<>();
                        for (Future<Map<MessageQueueKey, Long>> f : all) {
                          out.putAll(f.result());
                        }
                        return out;
                      });
            });
  }

  private Future<Map<MessageQueueKey, Long>> resetOn(
      String addr,
      String brokerName,
      int queues,
      String group,
      String topic,
      long timestamp,
      long offset) {
    RemotingCommand req =
        RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET)
            .putExt("topic", topic)
            .putExt("group", group)
            .putExt("timestamp", offset >= 0 ? -1L : timestamp)
            .putExt("isForce", true);
    if (offset >= 0) {
      req.putExt("offset", offset);
    }
    return client
        .invoke(addr, req, TIMEOUT_MS)
        .compose(
            r -> {
              try {
                if (r.code() == ResponseCode.SUCCESS) {
                  ResetOffsetBody body =
                      ProtocolJson.readTolerant(r.bodyBytes(), ResetOffsetBody::readJson);
                  return Future.succeededFuture(body.offsetTable());
                }
                if (r.code() == ResponseCode.TOPIC_NOT_EXIST) {
                  return Future.failedFuture(
                      new AdminException(r.code(), "reset on " + addr + ": " + r.remark()));
                }
              } finally {
                r.release();
              }
              // No live member to tell (or no committed offset yet): commit here.
              return commitDirectly(addr, brokerName, queues, group, topic, timestamp, offset);
            });
  }

  private Future<Map<MessageQueueKey, Long>> commitDirectly(
      String addr,
      String brokerName,
      int queues,
      String group,
      String topic,
      long timestamp,
      long offset) {
    List<Future<Long>> all = new ArrayList<>();
    for (int q = 0; q < queues; q++) {
      int queueId = q;
      Future<Long> target =
          offset >= 0
              ? queueOffset(addr, RequestCode.GET_MIN_OFFSET, topic, queueId)
                  .compose(
                      min ->
                          queueOffset(addr, RequestCode.GET_MAX_OFFSET, topic, queueId)
                              .map(max -> Math.max(min, Math.min(max, offset))))
              : call(
                  addr,
                  RemotingCommand.request(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP)
                      .putExt("topic", topic)
                      .putExt("queueId", queueId)
                      .putExt("timestamp", timestamp),
                  "offset at " + timestamp + " of " + topic + "@" + queueId,
                  r -> r.extLong("offset"));
      all.add(
          target.compose(
              o ->
                  call(
                          addr,
                          RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET)
                              .putExt("consumerGroup", group)
                              .putExt("topic", topic)
                              .putExt("queueId", queueId)
                              .putExt("commitOffset", o),
                          "commit of " + group + " on " + topic + "@" + queueId,
                          r -> null)
                      .map(v -> o)));
    }
    return Future.all(all)
        .map(
            x -> {
              Map<MessageQueueKey, Long> out = new TreeMap<>();
              for (int q = 0; q < queues; q++) {
                out.put(new MessageQueueKey(topic, brokerName, q), all.get(q).result());
              }
              return out;
            });
  }

  private Future<Long> queueOffset(String addr, int code, String topic, int queueId) {
    return call(
        addr,
        RemotingCommand.request(code).putExt("topic", topic).putExt("queueId", queueId),
        "offsets of " + topic + "@" + queueId,
        r -> r.extLong("offset"));
  }

  private static Collection<String> masterAddresses(TopicRouteData route) {
    List<String> out = new ArrayList<>();
    for (BrokerData b : route.brokerDatas()) {
      String addr = b.brokerAddrs().get(0L);
      if (addr != null) {
        out.add(addr);
      }
    }
    return out;
  }

  private <T> Future<T> call(
      String address, RemotingCommand req, String what, Function<RemotingCommand, T> read) {
    return client
        .invoke(address, req, TIMEOUT_MS)
        .map(
            r -> {
              try {
                if (r.code() != ResponseCode.SUCCESS) {
                  throw new AdminException(
                      r.code(),
                      what
                          + " failed: code "
                          + r.code()
                          + (r.remark() == null ? "" : ", " + r.remark()));
                }
                return read.apply(r);
              } finally {
                r.release();
              }
            });
  }

  @Override
  public void close() {
    client.close();
  }
}
