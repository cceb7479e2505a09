package dev.apogee.protocol;

import java.util.List;
import java.util.Map;

/**
 * The route of a topic, the body of a GET_ROUTEINFO_BY_TOPIC answer (rocketmq-protocol.md 2.2,
 * pitfall P1). {@code queueDatas}, {@code brokerDatas} and {@code filterServerTable} are always
 * written, the last as {@code {}} unless filter servers are named. Immutable.
 *
 * @param orderTopicConf queues of an ordered topic, e.g. {@code "broker-a:4;broker-b:4"}, or {@code
 *     null} (then not written)
 * @param queueDatas the queues of each broker group serving the topic
 * @param brokerDatas those broker groups
 * @param filterServerTable broker address to filter servers; empty
 */
public record TopicRouteData(
    String orderTopicConf,
    List<QueueData> queueDatas,
    List<BrokerData> brokerDatas,
    Map<String, List<String>> filterServerTable)
    implements JsonBody {

  public TopicRouteData {
    queueDatas = Copies.list(queueDatas);
    brokerDatas = Copies.list(brokerDatas);
    filterServerTable = Copies.sortedMap(filterServerTable);
  }

  /** A route without order configuration or filter servers. */
  public static TopicRouteData of(List<QueueData> queueDatas, List<BrokerData> brokerDatas) {
    return new TopicRouteData(null, queueDatas, brokerDatas, Map.of());
  }

  /** The same route with {@code conf} as its order configuration ({@code null} for none). */
  public TopicRouteData withOrderTopicConf(String conf) {
    return new TopicRouteData(conf, queueDatas, brokerDatas, filterServerTable);
  }

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("brokerDatas", brokerDatas, JsonOut::value)
        .field(
            "filterServerTable",
            filterServerTable,
            (o, servers) -> o.array(servers, JsonOut::value))
        .field("orderTopicConf", orderTopicConf)
        .field("queueDatas", queueDatas, JsonOut::value)
        .endObject();
  }

  /** Reads a route; fields a newer name server adds, such as static-topic mappings, are skipped. */
  public static TopicRouteData readJson(JsonIn in) {
    String orderTopicConf = null;
    List<QueueData> queueDatas = null;
    List<BrokerData> brokerDatas = null;
    Map<String, List<String>> filterServerTable = null;
    in.beginObject("TopicRouteData");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "orderTopicConf" -> orderTopicConf = in.string();
        case "queueDatas" -> queueDatas = in.list(QueueData::readJson);
        case "brokerDatas" -> brokerDatas = in.list(BrokerData::readJson);
        case "filterServerTable" -> filterServerTable = in.map(JsonIn::strings);
        default -> in.skipValue();
      }
    }
    return new TopicRouteData(orderTopicConf, queueDatas, brokerDatas, filterServerTable);
  }
}
