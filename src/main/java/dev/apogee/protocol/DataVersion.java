package dev.apogee.protocol;

/**
 * The version of a broker's topic table (rocketmq-protocol.md 2.3). A broker bumps it whenever its
 * topics change; a name server that sees the same version again knows nothing changed. Two versions
 * are the same only when all three fields are. Immutable.
 *
 * @param timestamp when the version was made, epoch millis
 * @param counter how many times the table changed
 * @param stateVersion the controller's state version, 0 without a controller
 */
public record DataVersion(long timestamp, long counter, long stateVersion) implements JsonBody {

  @Override
  public void writeJson(JsonOut out) {
    out.beginObject()
        .field("counter", counter)
        .field("stateVersion", stateVersion)
        .field("timestamp", timestamp)
        .endObject();
  }

  /** Reads a version; an absent field is 0. */
  public static DataVersion readJson(JsonIn in) {
    long timestamp = 0;
    long counter = 0;
    long stateVersion = 0;
    in.beginObject("DataVersion");
    while (in.nextField()) {
      switch (in.fieldName()) {
        case "timestamp" -> timestamp = in.longValue();
        case "counter" -> counter = in.longValue();
        case "stateVersion" -> stateVersion = in.longValue();
        default -> in.skipValue();
      }
    }
    return new DataVersion(timestamp, counter, stateVersion);
  }
}
