package dev.apogee.namesrv;

import dev.apogee.protocol.BrokerData;
import dev.apogee.protocol.ClusterInfo;
import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.Perm;
import dev.apogee.protocol.QueueData;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.protocol.TopicList;
import dev.apogee.protocol.TopicRouteData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The name server's state and its rules (rocketmq-protocol.md 2.2, 2.3, 5.2): which broker groups
 * serve each topic and with how many queues, the members of each group, the groups of each cluster,
 * and when each broker last registered.
 *
 * <p>Rules, as RocketMQ's name server keeps them:
 *
 * <ul>
 *   <li>A master (brokerId 0) registers its topic table; so does the slave with the lowest id while
 *       the group has no master (with write permission removed when the group enables acting
 *       master). Other slaves only join the group and learn the master's address.
 *   <li>A registration whose {@link DataVersion} equals the one last registered from that address
 *       only refreshes the broker's liveness, except that a topic the group does not serve yet is
 *       still added (so a topic deleted here comes back from a broker that still has it).
 *   <li>When a group loses its last address (unregister, expiry, closed connection), its queues
 *       leave every topic and topics left without queues are dropped.
 *   <li>A broker whose last registration is more than its heartbeat timeout old is removed as if it
 *       had unregistered.
 *   <li>Refused, changing nothing ({@link RegisterStatus}): a registration carrying exactly one
 *       topic from an id that is not registered yet, and one for an id that another address holds
 *       with a newer controller state version.
 * </ul>
 *
 * <p>Threading: every public method is {@code synchronized} on the table, so any thread may call
 * any method; each call is short (no I/O). Answers are immutable snapshots, never live state. Time
 * is never read here: methods that need it take {@code nowMillis}.
 */
public final class RouteTable {

  /** Topic to broker name to that group's queues; no topic maps to an empty map. */
  private final Map<String, Map<String, QueueData>> topicQueueTable = new TreeMap<>();

  /** Broker name to its group; no group is left without addresses. */
  private final Map<String, BrokerGroup> brokerAddrTable = new TreeMap<>();

  /** Cluster name to the names of its groups; no cluster is left without groups. */
  private final Map<String, Set<String>> clusterAddrTable = new TreeMap<>();

  /** The last registration from each broker address of each cluster. */
  private final Map<BrokerKey, Liveness> liveTable = new HashMap<>();

  /**
   * Registers a broker, or refreshes its registration (REGISTER_BROKER).
   *
   * @param request the header fields and the topic table
   * @param nowMillis the time of the registration, epoch millis
   * @return what happened and, for a slave, its master's addresses
   */
  public synchronized RegisterBrokerResult register(RegisterBrokerRequest request, long nowMillis) {
    Optional<RegisterStatus> refusal = refusal(request);
    if (refusal.isPresent()) {
      return RegisterBrokerResult.notRegistered(refusal.get());
    }
    BrokerKey key = new BrokerKey(request.clusterName(), request.brokerAddr());
    Liveness previous = liveTable.get(key);
    if (previous != null && !previous.brokerName().equals(request.brokerName())) {
      // The address now belongs to another group: it leaves its old group first, or that group
      // would keep an address that never expires.
      removeAddress(
          request.clusterName(), request.brokerAddr(), previous.brokerName(), previous.brokerId());
      previous = null;
    }
    BrokerGroup group =
        brokerAddrTable.computeIfAbsent(
            request.brokerName(), name -> new BrokerGroup(request.clusterName(), name));
    boolean first = join(group, request);
    boolean master = request.brokerId() == BrokerData.MASTER_ID;
    boolean primeSlave = !master && request.brokerId() == group.addrs.firstKey();
    if (master || primeSlave) {
      boolean versionChanged =
          previous == null || !previous.dataVersion().equals(request.dataVersion());
      putTopics(request, first || versionChanged, primeSlave && group.enableActingMaster);
    }
    liveTable.put(key, Liveness.of(request, nowMillis));
    return master ? RegisterBrokerResult.registered(null, null) : masterOf(group);
  }

  /**
   * Adds or replaces the queues of one topic on registered broker groups
   * (REGISTER_TOPIC_IN_NAMESRV, sent by brokers with {@code enableSingleTopicRegister}).
   *
   * @return {@code false}, changing nothing, when {@code queueDatas} is empty or names a broker
   *     group that is not registered
   */
  public synchronized boolean registerTopic(String topic, List<QueueData> queueDatas) {
    if (queueDatas.isEmpty()
        || !queueDatas.stream().allMatch(q -> brokerAddrTable.containsKey(q.brokerName()))) {
      return false;
    }
    queueDatas.forEach(q -> putQueueData(topic, q));
    return true;
  }

  /**
   * Removes one broker address (UNREGISTER_BROKER). When it was the last address of {@code
   * brokerName}, the group's queues leave every topic and topics left without queues are dropped.
   *
   * @return what was removed, or empty if the address was neither registered nor in the group
   */
  public synchronized Optional<RemovedBroker> unregister(
      String clusterName, String brokerAddr, String brokerName, long brokerId) {
    Liveness live = liveTable.remove(new BrokerKey(clusterName, brokerAddr));
    Optional<RemovedBroker> removed = removeAddress(clusterName, brokerAddr, brokerName, brokerId);
    if (removed.isEmpty() && live != null) {
      return Optional.of(keptGroup(clusterName, brokerName, brokerAddr, brokerId));
    }
    return removed;
  }

  /**
   * Removes every broker whose last registration is more than its heartbeat timeout before {@code
   * nowMillis}, each exactly as {@link #unregister} would. A broker registered at {@code t} with
   * timeout {@code T} is still registered at {@code t + T} and gone at {@code t + T + 1}.
   *
   * @return the brokers removed, ordered by cluster and address
   */
  public synchronized List<RemovedBroker> expire(long nowMillis) {
    return removeLive(e -> e.getValue().expiredAt(nowMillis));
  }

  /**
   * Removes every registration of {@code brokerAddr}, the address the broker registered with (not
   * the remote address of its connection), because its connection closed.
   *
   * @return the brokers removed, ordered by cluster
   */
  public synchronized List<RemovedBroker> brokerChannelClosed(String brokerAddr) {
    return removeLive(e -> e.getKey().brokerAddr().equals(brokerAddr));
  }

  /**
   * Refreshes a registered broker's liveness without a topic table (BROKER_HEARTBEAT).
   *
   * @return whether the broker is registered
   */
  public synchronized boolean heartbeat(String clusterName, String brokerAddr, long nowMillis) {
    BrokerKey key = new BrokerKey(clusterName, brokerAddr);
    Liveness live = liveTable.get(key);
    if (live == null) {
      return false;
    }
    liveTable.put(key, live.refreshedAt(nowMillis));
    return true;
  }

  /**
   * Compares a broker's topic table version with the one it last registered (QUERY_DATA_VERSION);
   * when they are the same, refreshes its liveness, as a registration would.
   */
  public synchronized DataVersionCheck queryDataVersion(
      String clusterName, String brokerAddr, DataVersion dataVersion, long nowMillis) {
    BrokerKey key = new BrokerKey(clusterName, brokerAddr);
    Liveness live = liveTable.get(key);
    if (live == null) {
      return new DataVersionCheck(true, null);
    }
    boolean changed = !live.dataVersion().equals(dataVersion);
    if (!changed) {
      liveTable.put(key, live.refreshedAt(nowMillis));
    }
    return new DataVersionCheck(changed, live.dataVersion());
  }

  /**
   * The route of {@code topic} (GET_ROUTEINFO_BY_TOPIC): the queues of every group serving it and
   * those groups, both sorted by broker name. Empty when no registered group serves it, so a route
   * never lacks broker data (pitfall P1).
   */
  public synchronized Optional<TopicRouteData> route(String topic) {
    Map<String, QueueData> queues = topicQueueTable.get(topic);
    if (queues == null) {
      return Optional.empty();
    }
    List<BrokerData> brokers = new ArrayList<>();
    for (String brokerName : queues.keySet()) {
      BrokerGroup group = brokerAddrTable.get(brokerName);
      if (group != null) {
        brokers.add(group.snapshot());
      }
    }
    if (brokers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(TopicRouteData.of(List.copyOf(queues.values()), brokers));
  }

  /** Every broker group and the groups of each cluster (GET_BROKER_CLUSTER_INFO). */
  public synchronized ClusterInfo clusterInfo() {
    Map<String, BrokerData> brokers = new TreeMap<>();
    brokerAddrTable.forEach((name, group) -> brokers.put(name, group.snapshot()));
    return new ClusterInfo(brokers, clusterAddrTable);
  }

  /** Every topic some group serves (GET_ALL_TOPIC_LIST_FROM_NAMESERVER). */
  public synchronized TopicList topics() {
    return TopicList.of(topicQueueTable.keySet());
  }

  /**
   * Topics some broker group of {@code clusterName} serves (GET_TOPICS_BY_CLUSTER); none for an
   * unknown cluster.
   */
  public synchronized TopicList topicsOfCluster(String clusterName) {
    Set<String> brokerNames = clusterAddrTable.getOrDefault(clusterName, Set.of());
    Set<String> topics = new TreeSet<>();
    topicQueueTable.forEach(
        (topic, queues) -> {
          for (String b : queues.keySet()) {
            if (brokerNames.contains(b)) {
              topics.add(topic);
              return;
            }
          }
        });
    return TopicList.of(topics);
  }

  /**
   * Forgets {@code topic} on every group (DELETE_TOPIC_IN_NAMESRV without a cluster). A master that
   * still has the topic registers it again on its next registration.
   *
   * @return whether the topic was known
   */
  public synchronized boolean deleteTopic(String topic) {
    return topicQueueTable.remove(topic) != null;
  }

  /**
   * Forgets {@code topic} on the groups of {@code clusterName} only (DELETE_TOPIC_IN_NAMESRV with a
   * cluster); the topic is dropped if no other group serves it.
   *
   * @return whether any group of the cluster served the topic
   */
  public synchronized boolean deleteTopic(String topic, String clusterName) {
    Set<String> brokerNames = clusterAddrTable.get(clusterName);
    Map<String, QueueData> queues = topicQueueTable.get(topic);
    if (brokerNames == null || queues == null) {
      return false;
    }
    boolean removed = queues.keySet().removeAll(brokerNames);
    if (queues.isEmpty()) {
      topicQueueTable.remove(topic);
    }
    return removed;
  }

  private boolean isHeldByNewerState(BrokerGroup group, RegisterBrokerRequest request) {
    String holder = group.addrs.get(request.brokerId());
    if (holder == null || holder.equals(request.brokerAddr())) {
      return false;
    }
    Liveness holderLive = liveTable.get(new BrokerKey(request.clusterName(), holder));
    return holderLive != null
        && holderLive.dataVersion().stateVersion() > request.dataVersion().stateVersion();
  }

  /** Why RocketMQ would refuse {@code request} before touching anything, if it would. */
  private Optional<RegisterStatus> refusal(RegisterBrokerRequest request) {
    BrokerGroup group = brokerAddrTable.get(request.brokerName());
    if (group != null && isHeldByNewerState(group, request)) {
      return Optional.of(RegisterStatus.IGNORED_STALE_STATE_VERSION);
    }
    if ((group == null || !group.addrs.containsKey(request.brokerId()))
        && request.topicConfigTable().size() == 1) {
      return Optional.of(RegisterStatus.REJECTED_NOT_YET_REGISTERED);
    }
    return Optional.empty();
  }

  /**
   * Puts the request's address into {@code group} under its id and the group into its cluster.
   *
   * @return whether the id had no address before
   */
  private boolean join(BrokerGroup group, RegisterBrokerRequest request) {
    clusterAddrTable
        .computeIfAbsent(request.clusterName(), c -> new TreeSet<>())
        .add(request.brokerName());
    group.zoneName = request.zoneName();
    group.enableActingMaster = request.enableActingMaster();
    // One address holds one id: a slave promoted to master gives up its slave id.
    group.addrs.entrySet().removeIf(isOtherIdOf(request.brokerAddr(), request.brokerId()));
    return group.addrs.put(request.brokerId(), request.brokerAddr()) == null;
  }

  /**
   * Takes the request's topics into the route: all of them, or only those its group does not serve
   * yet; without write permission when a slave stands in for its master.
   */
  private void putTopics(RegisterBrokerRequest request, boolean all, boolean readOnly) {
    for (TopicConfig topic : request.topicConfigTable().values()) {
      if (all || !serves(request.brokerName(), topic.topicName())) {
        QueueData queues = QueueData.of(request.brokerName(), topic);
        putQueueData(topic.topicName(), readOnly ? queues.withPerm(withoutWrite(queues)) : queues);
      }
    }
  }

  private static Predicate<Map.Entry<Long, String>> isOtherIdOf(String brokerAddr, long brokerId) {
    return e -> e.getValue().equals(brokerAddr) && e.getKey() != brokerId;
  }

  private static int withoutWrite(QueueData queues) {
    return queues.perm() & ~Perm.WRITE;
  }

  private boolean serves(String brokerName, String topic) {
    Map<String, QueueData> queues = topicQueueTable.get(topic);
    return queues != null && queues.containsKey(brokerName);
  }

  private void putQueueData(String topic, QueueData queues) {
    topicQueueTable.computeIfAbsent(topic, t -> new TreeMap<>()).put(queues.brokerName(), queues);
  }

  private RegisterBrokerResult masterOf(BrokerGroup group) {
    String masterAddr = group.addrs.get(BrokerData.MASTER_ID);
    Liveness master =
        masterAddr == null ? null : liveTable.get(new BrokerKey(group.cluster, masterAddr));
    return master == null
        ? RegisterBrokerResult.registered(null, null)
        : RegisterBrokerResult.registered(masterAddr, master.haServerAddr());
  }

  private List<RemovedBroker> removeLive(Predicate<Map.Entry<BrokerKey, Liveness>> which) {
    List<Map.Entry<BrokerKey, Liveness>> gone =
        liveTable.entrySet().stream()
            .filter(which)
            .map(e -> Map.entry(e.getKey(), e.getValue()))
            .sorted(Map.Entry.comparingByKey(BrokerKey.ORDER))
            .toList();
    List<RemovedBroker> removed = new ArrayList<>(gone.size());
    for (Map.Entry<BrokerKey, Liveness> entry : gone) {
      BrokerKey key = entry.getKey();
      Liveness live = entry.getValue();
      liveTable.remove(key);
      removed.add(
          removeAddress(key.clusterName(), key.brokerAddr(), live.brokerName(), live.brokerId())
              .orElseGet(
                  () ->
                      keptGroup(
                          key.clusterName(),
                          live.brokerName(),
                          key.brokerAddr(),
                          live.brokerId())));
    }
    return removed;
  }

  private static RemovedBroker keptGroup(
      String clusterName, String brokerName, String brokerAddr, long brokerId) {
    return new RemovedBroker(clusterName, brokerName, brokerAddr, brokerId, false, Set.of());
  }

  /**
   * Takes {@code brokerAddr} out of its group; the last address takes the group, its queues and the
   * topics left empty with it. A group that keeps only slaves and enables acting master loses write
   * permission on its queues.
   */
  private Optional<RemovedBroker> removeAddress(
      String clusterName, String brokerAddr, String brokerName, long brokerId) {
    BrokerGroup group = brokerAddrTable.get(brokerName);
    if (group == null || !group.addrs.values().removeIf(brokerAddr::equals)) {
      return Optional.empty();
    }
    if (!group.addrs.isEmpty()) {
      if (group.enableActingMaster && !group.addrs.containsKey(BrokerData.MASTER_ID)) {
        for (Map<String, QueueData> queues : topicQueueTable.values()) {
          queues.computeIfPresent(brokerName, (name, q) -> q.withPerm(withoutWrite(q)));
        }
      }
      return Optional.of(keptGroup(clusterName, brokerName, brokerAddr, brokerId));
    }
    brokerAddrTable.remove(brokerName);
    Set<String> clusterBrokers = clusterAddrTable.get(group.cluster);
    if (clusterBrokers != null) {
      clusterBrokers.remove(brokerName);
      if (clusterBrokers.isEmpty()) {
        clusterAddrTable.remove(group.cluster);
      }
    }
    Set<String> dropped = new TreeSet<>();
    topicQueueTable
        .entrySet()
        .removeIf(
            e -> {
              e.getValue().remove(brokerName);
              return e.getValue().isEmpty() && dropped.add(e.getKey());
            });
    return Optional.of(
        new RemovedBroker(clusterName, brokerName, brokerAddr, brokerId, true, dropped));
  }

  /** A broker group's members; lives inside the table's lock. */
  private static final class BrokerGroup {
    final String cluster;
    final String brokerName;

    /** brokerId to address. */
    final TreeMap<Long, String> addrs = new TreeMap<>();

    String zoneName;
    boolean enableActingMaster;

    BrokerGroup(String cluster, String brokerName) {
      this.cluster = cluster;
      this.brokerName = brokerName;
    }

    BrokerData snapshot() {
      return new BrokerData(cluster, brokerName, addrs, zoneName, enableActingMaster);
    }
  }

  /** A broker address is registered per cluster, as in RocketMQ. */
  private record BrokerKey(String clusterName, String brokerAddr) {
    static final Comparator<BrokerKey> ORDER =
        Comparator.comparing(BrokerKey::clusterName).thenComparing(BrokerKey::brokerAddr);
  }

  /** The last registration of one broker address. */
  private record Liveness(
      String brokerName,
      long brokerId,
      String haServerAddr,
      long lastUpdateMillis,
      long timeoutMillis,
      DataVersion dataVersion) {

    static Liveness of(RegisterBrokerRequest request, long nowMillis) {
      return new Liveness(
          request.brokerName(),
          request.brokerId(),
          request.haServerAddr(),
          nowMillis,
          request.heartbeatTimeoutMillis(),
          request.dataVersion());
    }

    boolean expiredAt(long nowMillis) {
      return nowMillis - lastUpdateMillis > timeoutMillis;
    }

    Liveness refreshedAt(long nowMillis) {
      return new Liveness(
          brokerName, brokerId, haServerAddr, nowMillis, timeoutMillis, dataVersion);
    }
  }
}
