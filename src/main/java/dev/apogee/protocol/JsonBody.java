package dev.apogee.protocol;

/**
 * A body, or a part of one, that writes itself as one JSON value, normally an object whose fields
 * it writes in ascending name order ({@link JsonOut} states and checks the conventions). Records
 * implement it; {@link ProtocolJson#write} turns one into bytes.
 */
@FunctionalInterface
public interface JsonBody {

  /** Writes this value to {@code out}. */
  void writeJson(JsonOut out);
}
