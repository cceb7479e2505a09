package dev.apogee.broker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsumerGroupsTest {
  private static HeartbeatData.ConsumerData data(String group, String expr) {
    return data(group, expr, 1);
  }

  private static HeartbeatData.ConsumerData data(String group, String expr, long version) {
    return new HeartbeatData.ConsumerData(
        group,
        "CONSUME_PASSIVELY",
        "CLUSTERING",
        "CONSUME_FROM_LAST_OFFSET",
        Set.of(SubscriptionData.ofTags("T", expr, version)),
        false);
  }

  private static ClientChannel<String> ch(String conn, String id) {
    return new ClientChannel<>(conn, id, "127.0.0.1:1", "JAVA", 513);
  }

  @Test
  void reportsMembershipAndSubscriptionChanges() {
    ConsumerGroups<String> g = new ConsumerGroups<>();
    assertTrue(g.heartbeat(ch("c1", "a@1"), data("cg", "*"), 0).membersChanged());
    ConsumerGroups.Change again = g.heartbeat(ch("c1", "a@1"), data("cg", "*", 7), 10);
    assertFalse(again.any());
    assertEquals(7, g.subscription("cg", "T").subVersion(), "the newest version is kept");
    assertTrue(g.heartbeat(ch("c1", "a@1"), data("cg", "TagA"), 20).subscriptionsChanged());
    assertTrue(g.heartbeat(ch("c2", "b@2"), data("cg", "TagA"), 20).membersChanged());
    assertEquals(List.of("a@1", "b@2"), g.clientIds("cg"));
    assertEquals("TagA", g.subscription("cg", "T").subString());
    assertEquals(List.of("cg"), g.groupsSubscribedTo("T"));
  }

  @Test
  void dropsSilentMembersAndClosedConnections() {
    ConsumerGroups<String> g = new ConsumerGroups<>();
    g.heartbeat(ch("c1", "a@1"), data("cg", "*"), 0);
    g.heartbeat(ch("c2", "b@2"), data("cg", "*"), 100_000);
    assertEquals(0, g.expire(120_000, 120_000).size());
    assertEquals(1, g.expire(120_001, 120_000).size());
    assertEquals(List.of("b@2"), g.clientIds("cg"));
    assertEquals(List.of("cg"), g.connectionClosed("c2"));
    assertNull(g.find("cg"));
    assertEquals(List.of(), g.clientIds("cg"));
  }
}
