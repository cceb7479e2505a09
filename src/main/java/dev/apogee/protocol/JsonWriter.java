package dev.apogee.protocol;

/**
 * Writes a value of a type that does not write itself (a string, a number, a list) as one JSON
 * value: the item writer of an array or the value writer of a map in {@link JsonOut}, usually a
 * method reference such as {@code JsonOut::value}.
 *
 * @param <T> the type written
 */
@FunctionalInterface
public interface JsonWriter<T> {

  /** Writes {@code value} to {@code out}. */
  void write(JsonOut out, T value);
}
