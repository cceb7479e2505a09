package dev.apogee.broker.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live members of each producer group, from heartbeats: who to ask about an undecided transaction
 * and what GET_PRODUCER_CONNECTION_LIST reports. Thread-safe (a lock per group).
 *
 * @param <C> the connection type
 */
public final class ProducerGroups<C> {
  private record Member<C>(ClientChannel<C> channel, long lastHeartbeat) {}

  private final ConcurrentHashMap<String, Map<C, Member<C>>> groups = new ConcurrentHashMap<>();

  public void heartbeat(String group, ClientChannel<C> channel, long now) {
    Map<C, Member<C>> m = groups.computeIfAbsent(group, k -> new LinkedHashMap<>());
    synchronized (m) {
      m.put(channel.connection(), new Member<>(channel, now));
    }
  }

  public boolean unregister(String group, C connection) {
    Map<C, Member<C>> m = groups.get(group);
    if (m == null) {
      return false;
    }
    synchronized (m) {
      return m.remove(connection) != null;
    }
  }

  public void connectionClosed(C connection) {
    for (Map<C, Member<C>> m : groups.values()) {
      synchronized (m) {
        m.remove(connection);
      }
    }
  }

  /** Drops members silent for more than {@code timeoutMillis}; returns how many. */
  public int expire(long now, long timeoutMillis) {
    int n = 0;
    for (Map<C, Member<C>> m : groups.values()) {
      synchronized (m) {
        int before = m.size();
        m.values().removeIf(x -> now - x.lastHeartbeat() > timeoutMillis);
        n += before - m.size();
      }
    }
    return n;
  }

  /** Live channels of a group (empty when none). */
  public List<ClientChannel<C>> channels(String group) {
    Map<C, Member<C>> m = groups.get(group);
    if (m == null) {
      return List.of();
    }
    synchronized (m) {
      List<ClientChannel<C>> out = new ArrayList<>();
      m.values().forEach(x -> out.add(x.channel()));
      return out;
    }
  }

  public Set<String> groupNames() {
    return Set.copyOf(groups.keySet());
  }
}
