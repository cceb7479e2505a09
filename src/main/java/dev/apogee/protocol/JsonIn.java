package dev.apogee.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one JSON body over Jackson's streaming parser, for the body types' {@code readJson}
 * methods. A value reader works on the current token and leaves the value's last token current; an
 * object is read field by field:
 *
 * <pre>{@code
 * in.beginObject("QueueData");
 * while (in.nextField()) {
 *   switch (in.fieldName()) {
 *     case "brokerName" -> brokerName = in.string();
 *     case "perm" -> perm = in.intValue();
 *     default -> in.skipValue();
 *   }
 * }
 * }</pre>
 *
 * <p>Leniency follows the protocol (rocketmq-protocol.md 1.10): unknown fields are skipped, a
 * {@code null} or absent primitive reads as 0 or {@code false}, the last of duplicate fields wins.
 * Everything else that does not fit (a wrong type, a number out of range, an unknown enum name, a
 * {@code null} item in an array or map) is a {@link BodyFormatException} naming the problem, the
 * JSON pointer of the value and its offset in the body.
 *
 * <p>Not thread-safe: one instance reads one body, on one thread.
 */
public final class JsonIn {
  private final JsonParser parser;

  /** The type name of each object being read, innermost last. */
  private String[] types = new String[8];

  private int open;
  private String bodyType;
  private String closedType;
  private String fieldName;

  JsonIn(JsonParser parser) {
    this.parser = parser;
  }

  // ---------------------------------------------------------------- objects

  /**
   * Starts reading an object; {@code type} names it in error messages. The current token must start
   * an object.
   */
  public void beginObject(String type) {
    if (bodyType == null) {
      bodyType = type;
    }
    JsonToken t = parser.currentToken();
    if (t != JsonToken.START_OBJECT) {
      throw expected("an object (" + type + ")", t);
    }
    if (open == types.length) {
      types = Arrays.copyOf(types, open * 2);
    }
    types[open++] = type;
  }

  /**
   * Moves to the next field's value and returns true, or past the object's end and returns false.
   * The field's name is then {@link #fieldName()}.
   */
  public boolean nextField() {
    JsonToken t = advance();
    if (t == JsonToken.END_OBJECT) {
      closedType = types[--open];
      return false;
    }
    if (t != JsonToken.FIELD_NAME) {
      throw expected("a field name", t);
    }
    try {
      fieldName = parser.currentName();
    } catch (IOException e) {
      throw unreadable(e);
    }
    advance();
    return true;
  }

  /** The name of the field whose value is current. */
  public String fieldName() {
    return fieldName;
  }

  /** Skips the current value, with everything nested in it. */
  public void skipValue() {
    try {
      parser.skipChildren();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * {@code value}, which must not be {@code null}: a field the object just read must have. Call it
   * after {@link #nextField()} returned false.
   */
  public <T> T required(T value, String field) {
    if (value == null) {
      throw fail("missing field " + field + " of " + closedType);
    }
    return value;
  }

  /** Whether the current value is a JSON null. */
  public boolean isNull() {
    return parser.currentToken() == JsonToken.VALUE_NULL;
  }

  /** An object read by {@code reader}, or {@code null} for a JSON null. */
  public <T> T object(JsonReader<T> reader) {
    return parser.currentToken() == JsonToken.VALUE_NULL ? null : reader.read(this);
  }

  // ---------------------------------------------------------------- scalars

  /** A string, or {@code null}. */
  public String string() {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw expected("a string", t);
    }
    try {
      return parser.getText();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** A whole number within the range of {@code long}; 0 for null. */
  public long longValue() {
    if (!integerPresent()) {
      return 0;
    }
    try {
      return parser.getLongValue();
    } catch (IOException e) {
      throw fail(text() + " is out of the range of a long");
    }
  }

  /** A whole number within the range of {@code int}; 0 for null. */
  public int intValue() {
    if (!integerPresent()) {
      return 0;
    }
    try {
      return parser.getIntValue();
    } catch (IOException e) {
      throw fail(text() + " is out of the range of an int");
    }
  }

  /** False at a null, true at an integer; anything else is not a whole number. */
  private boolean integerPresent() {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return false;
    }
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw expected("an integer", t);
    }
    return true;
  }

  /** A number; 0 for null. */
  public double doubleValue() {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw expected("a number", t);
    }
    try {
      return parser.getDoubleValue();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** {@code true} or {@code false}; {@code false} for null. */
  public boolean bool() {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) {
      return false;
    }
    throw expected("true or false", t);
  }

  /** The constant of {@code constants} named by the current string, or {@code null}. */
  public <E extends Enum<E>> E enumValue(E[] constants) {
    String name = string();
    if (name == null) {
      return null;
    }
    for (E e : constants) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw fail("unknown name " + name + ", expected one of " + Arrays.toString(constants));
  }

  // ---------------------------------------------------------------- arrays and maps

  /** An array, each item read by {@code item}, or {@code null}; a null item is an error. */
  public <T> List<T> list(JsonReader<T> item) {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw expected("an array", t);
    }
    List<T> out = new ArrayList<>();
    while (advance() != JsonToken.END_ARRAY) {
      T value = item.read(this);
      if (value == null) {
        throw fail("null item in an array");
      }
      out.add(value);
    }
    return out;
  }

  /** An array of strings, or {@code null}. */
  public List<String> strings() {
    return list(JsonIn::string);
  }

  /** An array of strings as a set in array order, or {@code null}. */
  public Set<String> stringSet() {
    List<String> items = strings();
    return items == null ? null : new LinkedHashSet<>(items);
  }

  /** An object as a map in field order, each value read by {@code value}, or {@code null}. */
  public <V> Map<String, V> map(JsonReader<V> value) {
    return map(Function.identity(), value);
  }

  /** An object of strings as a map in field order, or {@code null}. */
  public Map<String, String> stringMap() {
    return map(JsonIn::string);
  }

  /**
   * An object as a map in field order, each key turned into a {@code K} by {@code key} (which
   * throws {@link IllegalArgumentException} for a key it cannot take) and each value read by {@code
   * value}; or {@code null}. A null value is an error.
   */
  public <K, V> Map<K, V> map(Function<String, K> key, JsonReader<V> value) {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw expected("an object", t);
    }
    Map<K, V> out = new LinkedHashMap<>();
    for (JsonToken next = advance(); next != JsonToken.END_OBJECT; next = advance()) {
      String name;
      K k;
      try {
        name = parser.currentName();
      } catch (IOException e) {
        throw unreadable(e);
      }
      try {
        k = key.apply(name);
      } catch (IllegalArgumentException e) {
        throw fail("map key " + name + " is not valid (" + e.getMessage() + ")");
      }
      advance();
      V v = value.read(this);
      if (v == null) {
        throw fail("null value in a map");
      }
      out.put(k, v);
    }
    return out;
  }

  // ---------------------------------------------------------------- errors

  /** An error about the current value: {@code problem}, then where it is in the body. */
  public BodyFormatException fail(String problem) {
    return new BodyFormatException(problem + where(parser.currentTokenLocation()));
  }

  /** The name the outermost object was read as, or "JSON" before any. */
  String bodyType() {
    return bodyType == null ? "JSON" : bodyType;
  }

  // ---------------------------------------------------------------- the body as a whole

  /** Moves to the body's first token; an empty body is an error. */
  void start() {
    if (advance() == null) {
      throw new BodyFormatException("the body is empty");
    }
  }

  /** Checks that nothing but white space follows the value just read. */
  void finish() {
    JsonToken t = advance();
    if (t != null) {
      throw fail("more JSON after the end of the body: " + describe(t));
    }
  }

  private JsonToken advance() {
    try {
      return parser.nextToken();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private String text() {
    try {
      return parser.getText();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private BodyFormatException expected(String what, JsonToken found) {
    return fail("expected " + what + ", found " + describe(found));
  }

  private String where(JsonLocation at) {
    String pointer = parser.getParsingContext().pathAsPointer().toString();
    long offset = at.getCharOffset() >= 0 ? at.getCharOffset() : at.getByteOffset();
    return " at " + (pointer.isEmpty() ? "the top level" : pointer) + " (offset " + offset + ")";
  }

  private BodyFormatException unreadable(IOException e) {
    if (e instanceof JsonProcessingException p && p.getLocation() != null) {
      return new BodyFormatException(p.getOriginalMessage() + where(p.getLocation()), e);
    }
    return new BodyFormatException(e.getMessage(), e);
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the body";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case FIELD_NAME -> "a field name";
      case END_OBJECT -> "the end of an object";
      case END_ARRAY -> "the end of an array";
      default -> t.name();
    };
  }
}
