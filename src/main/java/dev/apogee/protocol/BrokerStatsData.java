package dev.apogee.protocol;

/**
 * One stats item's figures over the last minute, hour and day, the body of a VIEW_BROKER_STATS_DATA
 * answer (RocketMQ's {@code BrokerStatsData}). Immutable.
 *
 * @param statsMinute the last minute
 * @param statsHour the last hour
 * @param statsDay the last day
 */
public record BrokerStatsData(Item statsMinute, Item statsHour, Item statsDay) implements JsonBody {

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("statsDay", statsDay)
        .field("statsHour", statsHour)
        .field("statsMinute", statsMinute)
        .endObject();
  }

  /**
   * One window's figures (RocketMQ's {@code BrokerStatsItem}).
   *
   * @param sum messages or bytes counted in the window
   * @param tps {@code sum} per second
   * @param avgpt {@code sum} per request
   */
  public record Item(long sum, double tps, double avgpt) implements JsonBody {
    @Override
    public void writeJson(JsonOut out) {
      out.beginObject().field("avgpt", avgpt).field("sum", sum).field("tps", tps).endObject();
    }
  }
}
