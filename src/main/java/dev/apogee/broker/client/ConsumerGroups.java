package dev.apogee.broker.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live members of each consumer group and the group's subscriptions, from heartbeats (protocol doc
 * 2.6). Members silent longer than the channel expiry are dropped by {@link #expire}; a closed
 * connection drops at once. Change results tell the caller when to notify a clustering group's
 * members (NOTIFY_CONSUMER_IDS_CHANGED).
 *
 * <p>Thread-safe: each group is guarded by its own lock; heartbeats arrive on every event loop.
 *
 * @param <C> the connection type
 */
public final class ConsumerGroups<C> {
  /** One group's members, subscriptions and mode. */
  public static final class Group<C> {
    final String name;
    final Map<C, Member<C>> members = new LinkedHashMap<>();
    Map<String, SubscriptionData> subscriptions = Map.of();
    String consumeType;
    String messageModel;
    String consumeFromWhere;

    Group(String name) {
      this.name = name;
    }

    public synchronized List<ClientChannel<C>> channels() {
      List<ClientChannel<C>> out = new ArrayList<>();
      members.values().forEach(m -> out.add(m.channel));
      return out;
    }

    public synchronized Map<String, SubscriptionData> subscriptions() {
      return subscriptions;
    }

    public synchronized String consumeType() {
      return consumeType;
    }

    public synchronized String messageModel() {
      return messageModel;
    }

    public synchronized String consumeFromWhere() {
      return consumeFromWhere;
    }

    public boolean broadcasting() {
      return "BROADCASTING".equals(messageModel());
    }
  }

  private static final class Member<C> {
    final ClientChannel<C> channel;
    volatile long lastHeartbeat;

    Member(ClientChannel<C> channel, long lastHeartbeat) {
      this.channel = channel;
      this.lastHeartbeat = lastHeartbeat;
    }
  }

  /** What a heartbeat changed in a group. */
  public record Change(boolean membersChanged, boolean subscriptionsChanged) {
    public boolean any() {
      return membersChanged || subscriptionsChanged;
    }
  }

  private final ConcurrentHashMap<String, Group<C>> groups = new ConcurrentHashMap<>();

  /** Registers or refreshes a member and replaces the group's subscriptions. */
  public Change heartbeat(ClientChannel<C> channel, HeartbeatData.ConsumerData data, long now) {
    Group<C> g = groups.computeIfAbsent(data.groupName(), Group::new);
    synchronized (g) {
      Member<C> m = g.members.get(channel.connection());
      boolean membersChanged = false;
      if (m == null || !m.channel.clientId().equals(channel.clientId())) {
        g.members.put(channel.connection(), new Member<>(channel, now));
        membersChanged = true;
      } else {
        m.lastHeartbeat = now;
      }
      Map<String, SubscriptionData> subs = new LinkedHashMap<>();
      for (SubscriptionData s : data.subscriptionDataSet()) {
        subs.put(s.topic(), newest(g.subscriptions.get(s.topic()), s));
      }
      boolean subsChanged = !sameSubscriptions(g.subscriptions, subs);
      g.subscriptions = Map.copyOf(subs);
      g.consumeType = data.consumeType();
      g.messageModel = data.messageModel();
      g.consumeFromWhere = data.consumeFromWhere();
      return new Change(membersChanged, subsChanged);
    }
  }

  /**
   * The subscription to keep for a topic when a member's heartbeat brings {@code fresh}. Pulls
   * carry the version of their own client's subscription and are refused (SUBSCRIPTION_NOT_LATEST)
   * when the registered one is older. Members of a group bump their versions at their own
   * rebalances, so a heartbeat may bring an older version of the same expression than another
   * member already registered: keep the newest, or that member's pulls fail until it next
   * heartbeats (up to 30 s). A changed expression always replaces the old one.
   */
  private static SubscriptionData newest(SubscriptionData old, SubscriptionData fresh) {
    if (old != null
        && old.subVersion() > fresh.subVersion()
        && old.subString().equals(fresh.subString())
        && old.expressionType().equals(fresh.expressionType())) {
      return old;
    }
    return fresh;
  }

  private static boolean sameSubscriptions(
      Map<String, SubscriptionData> a, Map<String, SubscriptionData> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, SubscriptionData> e : a.entrySet()) {
      SubscriptionData o = b.get(e.getKey());
      if (!e.getValue().subString().equals(o.subString())
          || !e.getValue().expressionType().equals(o.expressionType())) {
        return false;
      }
    }
    return true;
  }

  /** Removes a member from one group (UNREGISTER_CLIENT); true when it was there. */
  public boolean unregister(String group, C connection) {
    Group<C> g = groups.get(group);
    if (g == null) {
      return false;
    }
    synchronized (g) {
      boolean removed = g.members.remove(connection) != null;
      if (g.members.isEmpty()) {
        groups.remove(group, g);
      }
      return removed;
    }
  }

  /** Removes a closed connection from every group; returns the groups it left. */
  public List<String> connectionClosed(C connection) {
    List<String> left = new ArrayList<>();
    for (Group<C> g : groups.values()) {
      synchronized (g) {
        if (g.members.remove(connection) != null) {
          left.add(g.name);
          if (g.members.isEmpty()) {
            groups.remove(g.name, g);
          }
        }
      }
    }
    return left;
  }

  /** Drops members silent for more than {@code timeoutMillis}; returns (group, channel) pairs. */
  public List<Map.Entry<String, ClientChannel<C>>> expire(long now, long timeoutMillis) {
    List<Map.Entry<String, ClientChannel<C>>> out = new ArrayList<>();
    for (Group<C> g : groups.values()) {
      synchronized (g) {
        g.members
            .values()
            .removeIf(
                m -> {
                  if (now - m.lastHeartbeat > timeoutMillis) {
                    out.add(Map.entry(g.name, m.channel));
                    return true;
                  }
                  return false;
                });
        if (g.members.isEmpty()) {
          groups.remove(g.name, g);
        }
      }
    }
    return out;
  }

  /** The group, or null when it has no live member. */
  public Group<C> find(String group) {
    return groups.get(group);
  }

  /** Client ids of the group's live members (empty when none). */
  public List<String> clientIds(String group) {
    Group<C> g = groups.get(group);
    if (g == null) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (ClientChannel<C> c : g.channels()) {
      ids.add(c.clientId());
    }
    return ids;
  }

  /** The subscription of a group to a topic, or null. */
  public SubscriptionData subscription(String group, String topic) {
    Group<C> g = groups.get(group);
    return g == null ? null : g.subscriptions().get(topic);
  }

  /** Groups with a live member subscribed to {@code topic}. */
  public List<String> groupsSubscribedTo(String topic) {
    List<String> out = new ArrayList<>();
    for (Group<C> g : groups.values()) {
      if (g.subscriptions().containsKey(topic)) {
        out.add(g.name);
      }
    }
    return out;
  }

  public Set<String> groupNames() {
    return Set.copyOf(groups.keySet());
  }
}
