package dev.apogee.protocol;

/**
 * Reads one JSON value as a {@code T}: a body type's static {@code readJson} method, or an item or
 * map-value reader such as {@code JsonIn::string}. It is called with the value's first token
 * current and returns with its last token current (see {@link JsonIn}); a value it cannot read is a
 * {@link BodyFormatException} from {@link JsonIn}.
 *
 * @param <T> the type read
 */
@FunctionalInterface
public interface JsonReader<T> {

  /** Reads the value at {@code in}'s current token. */
  T read(JsonIn in);
}
