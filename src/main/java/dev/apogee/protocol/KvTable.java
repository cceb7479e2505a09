package dev.apogee.protocol;

import java.util.Map;

/**
 * String keys and values, RocketMQ's {@code KVTable} body (rocketmq-protocol.md 1.10): runtime info
 * of a broker, the entries of a name server's configuration namespace. Immutable; keys sorted.
 *
 * @param table the entries
 */
public record KvTable(Map<String, String> table) implements JsonBody {

  public KvTable {
    table = Copies.sortedMap(table);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject().field("table", table, JsonOut::value).endObject();
  }

  /** Reads a table. */
  public static KvTable readJson(JsonIn in) {
    Map<String, String> table = null;
    in.beginObject("KvTable");
    while (in.nextField()) {
      if (in.fieldName().equals("table")) {
        table = in.stringMap();
      } else {
        in.skipValue();
      }
    }
    return new KvTable(table);
  }
}
