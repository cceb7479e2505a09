package dev.apogee.bench;

import dev.apogee.protocol.BrokerData;
import dev.apogee.protocol.ClusterInfo;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.remoting.RemotingClient;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin requests a bench needs, over the remoting protocol so they work against any
 * RocketMQ-protocol broker: the master brokers of the cluster, topic creation with a queue count,
 * and the sum of a topic's queue max offsets (how many messages the brokers hold).
 */
final class BrokerProbe implements AutoCloseable {
  private static final long TIMEOUT_MS = 10_000;

  private final RemotingClient client;
  private final String namesrv;

  BrokerProbe(Vertx vertx, String namesrv) {
    this.client = new RemotingClient(vertx, RemotingClient.Options.defaults());
    this.namesrv = namesrv.split(";")[0].trim();
  }

  /** Master broker addresses by broker name. */
  Future<Map<String, String>> masters() {
    return client
        .invoke(namesrv, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO), TIMEOUT_MS)
        .map(
            r -> {
              try {
                check(r, "cluster info");
                ClusterInfo info = ProtocolJson.readTolerant(r.bodyBytes(), ClusterInfo::readJson);
                Map<String, String> out = new LinkedHashMap<>();
                for (BrokerData b : info.brokerAddrTable().values()) {
                  String addr = b.brokerAddrs().get(0L);
                  if (addr != null) {
                    out.put(b.brokerName(), addr);
                  }
                }
                if (out.isEmpty()) {
                  throw new IllegalStateException("the name server knows no master broker");
                }
                return out;
              } finally {
                r.release();
              }
            });
  }

  /**
   * Creates (or updates) {@code topic} with {@code queues} read and write queues on every master.
   */
  Future<Void> createTopic(String topic, int queues) {
    return masters()
        .compose(
            m -> {
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
                all.add(
                    client
                        .invoke(addr, req, TIMEOUT_MS)
                        .map(
                            r -> {
                              try {
                                check(r, "create topic " + topic + " on " + addr);
                                return null;
                              } finally {
                                r.release();
                              }
                            }));
              }
              return Future.all(all).mapEmpty();
            });
  }

  /** Sum over every master and queue of {@code topic}'s max offset. */
  Future<Long> totalMaxOffset(String topic, int queues) {
    return masters()
        .compose(
            m -> {
              List<Future<Long>> all = new ArrayList<>();
              for (String addr : m.values()) {
                for (int q = 0; q < queues; q++) {
                  RemotingCommand req =
                      RemotingCommand.request(RequestCode.GET_MAX_OFFSET)
                          .putExt("topic", topic)
                          .putExt("queueId", q);
                  all.add(
                      client
                          .invoke(addr, req, TIMEOUT_MS)
                          .map(
                              r -> {
                                try {
                                  check(r, "max offset of " + topic);
                                  return r.extLong("offset");
                                } finally {
                                  r.release();
                                }
                              }));
                }
              }
              return Future.all(all)
                  .map(
                      cf -> {
                        long sum = 0;
                        for (Future<Long> f : all) {
                          sum += f.result();
                        }
                        return sum;
                      });
            });
  }

  private static void check(RemotingCommand r, String what) {
    if (r.code() != ResponseCode.SUCCESS) {
      throw new IllegalStateException(
          what + " failed: code " + r.code() + (r.remark() == null ? "" : ", " + r.remark()));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
