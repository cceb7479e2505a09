package dev.apogee.protocol;

import java.util.Map;

/**
 * String keys and values, RocketMQ's {@code KVTable} body (rocketmq-protocol.md 1.10): runtime info
 * of a broker, the entries of a name server's configuration namespace. Immutable; keys sorted.
 *
 * @param table the entries
 */
public record KvTable(Map<String, String> table) {

  public KvTable {
    table = Copies.sortedMap(table);
  }
}
