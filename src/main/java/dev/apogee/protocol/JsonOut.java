package dev.apogee.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Writes one JSON body over Jackson's streaming generator in the protocol's conventions
 * (rocketmq-protocol.md 1.10), which it enforces so that each body's codec need not:
 *
 * <ul>
 *   <li>the fields of an object come in ascending order of their names, as fastjson writes them: a
 *       codec writes them in that order and a field written out of order is an {@link
 *       IllegalStateException}, so a mistake shows in the first test that writes the body;
 *   <li>a field whose value is {@code null} is left out; a primitive is always written;
 *   <li>an enum is written as its {@code name()};
 *   <li>a map is written as an object whose keys are {@code String.valueOf(key)}, in the map's
 *       order (a brokerId key {@code 0} is written {@code "0"}); a map keyed by a {@link JsonBody}
 *       such as {@link MessageQueueKey} is written with raw object keys, {@code
 *       {{"brokerName":"b","queueId":0,"topic":"T"}:value}}, which 5.5 clients require (pitfall
 *       P2).
 * </ul>
 *
 * <p>Not thread-safe: one instance writes one body, on one thread. Errors are programming errors
 * (an unbalanced object, a field outside an object) and surface as {@link IllegalStateException}.
 */
public final class JsonOut {
  private final JsonGenerator gen;

  /** For each object open, the name of its last field written; null before the first. */
  private String[] lastField = new String[8];

  private int objects;

  JsonOut(JsonGenerator gen) {
    this.gen = gen;
  }

  /** Starts an object; its fields follow in ascending name order, then {@link #endObject()}. */
  public JsonOut beginObject() {
    try {
      gen.writeStartObject();
    } catch (IOException e) {
      throw misuse(e);
    }
    if (objects == lastField.length) {
      lastField = Arrays.copyOf(lastField, objects * 2);
    }
    lastField[objects++] = null;
    return this;
  }

  /** Ends the object started last. */
  public JsonOut endObject() {
    try {
      gen.writeEndObject();
    } catch (IOException e) {
      throw misuse(e);
    }
    objects--;
    return this;
  }

  /** A string field; left out when {@code value} is null. */
  public JsonOut field(String name, String value) {
    return value == null ? this : name(name).value(value);
  }

  /** A number field. */
  public JsonOut field(String name, long value) {
    return name(name).value(value);
  }

  /** A number field, as Jackson prints a double ({@code 0.0}, {@code 1.5}, {@code 1.0E-5}). */
  public JsonOut field(String name, double value) {
    return name(name).value(value);
  }

  /** A boolean field. */
  public JsonOut field(String name, boolean value) {
    return name(name).value(value);
  }

  /** An enum field, written as the constant's name; left out when {@code value} is null. */
  public JsonOut field(String name, Enum<?> value) {
    return value == null ? this : name(name).value(value.name());
  }

  /** An object field; left out when {@code value} is null. */
  public JsonOut field(String name, JsonBody value) {
    return value == null ? this : name(name).value(value);
  }

  /** An array field, each item written by {@code item}; left out when {@code items} is null. */
  public <T> JsonOut field(String name, Collection<T> items, JsonWriter<? super T> item) {
    return items == null ? this : name(name).array(items, item);
  }

  /**
   * A map field with string keys ({@code String.valueOf(key)}), each value written by {@code
   * value}; left out when {@code map} is null.
   */
  public <V> JsonOut field(String name, Map<?, V> map, JsonWriter<? super V> value) {
    return map == null ? this : name(name).map(map, value);
  }

  /**
   * A map field in fastjson's raw-object-key form: each key written as its own JSON object, not
   * quoted, then a colon and the value written by {@code value}; left out when {@code map} is null.
   */
  public <V> JsonOut rawKeyField(
      String name, Map<? extends JsonBody, V> map, JsonWriter<? super V> value) {
    if (map == null) {
      return this;
    }
    name(name);
    try {
      gen.writeRawValue(rawKeyMap(map, value));
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /** A string value (an array item or a map value); {@code null} is written as null. */
  public JsonOut value(String value) {
    try {
      gen.writeString(value);
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /** A number value. */
  public JsonOut value(long value) {
    try {
      gen.writeNumber(value);
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /** A number value. */
  public JsonOut value(double value) {
    try {
      gen.writeNumber(value);
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /** A boolean value. */
  public JsonOut value(boolean value) {
    try {
      gen.writeBoolean(value);
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /** An object value; {@code null} is written as null. */
  public JsonOut value(JsonBody value) {
    if (value == null) {
      try {
        gen.writeNull();
      } catch (IOException e) {
        throw misuse(e);
      }
    } else {
      value.writeJson(this);
    }
    return this;
  }

  /** An array value, each item written by {@code item}. */
  public <T> JsonOut array(Collection<T> items, JsonWriter<? super T> item) {
    try {
      gen.writeStartArray();
      for (T t : items) {
        item.write(this, t);
      }
      gen.writeEndArray();
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /** A map value with string keys ({@code String.valueOf(key)}), in the map's order. */
  public <V> JsonOut map(Map<?, V> map, JsonWriter<? super V> value) {
    try {
      gen.writeStartObject();
      for (Map.Entry<?, V> e : map.entrySet()) {
        if (e.getKey() == null) {
          throw new IllegalStateException("a JSON map cannot hold a null key");
        }
        gen.writeFieldName(String.valueOf(e.getKey()));
        value.write(this, e.getValue());
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /** Whether every object and array begun has ended. */
  boolean complete() {
    return objects == 0 && gen.getOutputContext().inRoot();
  }

  private JsonOut name(String name) {
    if (objects == 0) {
      throw new IllegalStateException("field " + name + " written outside an object");
    }
    String last = lastField[objects - 1];
    if (last != null && last.compareTo(name) >= 0) {
      throw new IllegalStateException(
          "field " + name + " written after " + last + ": fields go in ascending name order");
    }
    lastField[objects - 1] = name;
    try {
      gen.writeFieldName(name);
    } catch (IOException e) {
      throw misuse(e);
    }
    return this;
  }

  /**
   * The map's text, written apart: Jackson's generator only writes quoted names, so the entries are
   * written as a run of top-level values (key, value, key, ...) with no separator between them, and
   * the braces, colons and commas are put in by hand.
   */
  private static <V> String rawKeyMap(Map<? extends JsonBody, V> map, JsonWriter<? super V> value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = ProtocolJson.FACTORY.createGenerator(text)) {
      g.setRootValueSeparator(null);
      JsonOut out = new JsonOut(g);
      g.writeRaw('{');
      boolean first = true;
      for (Map.Entry<? extends JsonBody, V> e : map.entrySet()) {
        if (e.getKey() == null) {
          throw new IllegalStateException("a raw-object-key map cannot hold a null key");
        }
        if (!first) {
          g.writeRaw(',');
        }
        first = false;
        e.getKey().writeJson(out);
        g.writeRaw(':');
        value.write(out, e.getValue());
      }
      g.writeRaw('}');
    } catch (IOException e) {
      throw misuse(e);
    }
    return text.toString();
  }

  private static IllegalStateException misuse(IOException e) {
    return new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
  }
}
