package dev.apogee.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the JSON bodies of the remoting protocol and the broker's state files
 * (rocketmq-protocol.md 1.10) with Jackson's streaming parser and generator: each body type has a
 * hand-written codec, its {@link JsonBody#writeJson} method and a static {@code readJson} method,
 * and {@link JsonOut} and {@link JsonIn} hold the conventions. Nothing is mapped by reflection.
 * Thread-safe: every call uses its own parser or generator.
 *
 * <p>Writing: standard JSON with quoted keys, which every 5.x client accepts (a brokerId key is
 * written {@code "0"}); the fields of each object sorted by name and {@code null} fields left out,
 * as fastjson does; every map keyed by {@link MessageQueueKey} in fastjson's raw-object-key form,
 * {@code {{"brokerName":"b","queueId":0,"topic":"T"}:value}}, which 5.5 clients require (pitfall
 * P2).
 *
 * <p>Reading: {@link #read} takes standard JSON, one value and nothing after it, and skips fields
 * the type does not know. {@link #readTolerant} also takes the fastjson dialect that official
 * servers and clients may write: unquoted numeric keys ({@code {0:"addr"}}) and raw object keys.
 * Both throw {@link BodyFormatException} for a body they cannot read, naming the body type, the
 * problem and where it is.
 */
public final class ProtocolJson {

  /** Parsers and generators with Jackson's defaults: strict standard JSON. */
  static final JsonFactory FACTORY = new JsonFactory();

  private ProtocolJson() {}

  /** {@code body} as UTF-8 JSON. */
  public static byte[] write(JsonBody body) {
    ByteArrayBuilder bytes = new ByteArrayBuilder();
    try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
      writeTo(g, body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /** {@code body} as UTF-8 JSON laid out on indented lines, for files people read. */
  public static byte[] writePretty(JsonBody body) {
    ByteArrayBuilder bytes = new ByteArrayBuilder();
    try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
      g.useDefaultPrettyPrinter();
      writeTo(g, body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /** {@code body} as JSON text. */
  public static String writeString(JsonBody body) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(text)) {
      writeTo(g, body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
    return text.toString();
  }

  private static void writeTo(JsonGenerator g, JsonBody body) {
    JsonOut out = new JsonOut(g);
    out.value(body);
    if (!out.complete()) {
      throw new IllegalStateException(
          body.getClass().getSimpleName() + " left a JSON object or array open");
    }
  }

  /** Reads standard JSON {@code body} with {@code reader}, a body type's {@code readJson}. */
  public static <T> T read(byte[] body, JsonReader<T> reader) {
    if (body == null) {
      throw new BodyFormatException("missing JSON body");
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      return readFrom(p, reader);
    } catch (IOException e) {
      throw new BodyFormatException("cannot read JSON body: " + e.getMessage(), e);
    }
  }

  /** Reads standard JSON {@code body} with {@code reader}, a body type's {@code readJson}. */
  public static <T> T read(String body, JsonReader<T> reader) {
    if (body == null) {
      throw new BodyFormatException("missing JSON body");
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      return readFrom(p, reader);
    } catch (IOException e) {
      throw new BodyFormatException("cannot read JSON body: " + e.getMessage(), e);
    }
  }

  /** Reads {@code body}, standard JSON or fastjson's dialect, with {@code reader}. */
  public static <T> T readTolerant(byte[] body, JsonReader<T> reader) {
    if (body == null) {
      throw new BodyFormatException("missing JSON body");
    }
    return readTolerant(new String(body, StandardCharsets.UTF_8), reader);
  }

  /** Reads {@code body}, standard JSON or fastjson's dialect, with {@code reader}. */
  public static <T> T readTolerant(String body, JsonReader<T> reader) {
    if (body == null) {
      throw new BodyFormatException("missing JSON body");
    }
    return read(FastjsonDialect.toStandardJson(body), reader);
  }

  /**
   * One value and nothing after it. A body type's constructor that refuses a value (an {@link
   * IllegalArgumentException}) makes the body unreadable too.
   */
  private static <T> T readFrom(JsonParser p, JsonReader<T> reader) {
    JsonIn in = new JsonIn(p);
    try {
      in.start();
      T value = reader.read(in);
      if (value == null) {
        throw in.fail("the body is null");
      }
      in.finish();
      return value;
    } catch (BodyFormatException e) {
      throw new BodyFormatException("cannot read " + in.bodyType() + " body: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new BodyFormatException(
          "cannot read " + in.bodyType() + " body: " + in.fail(e.getMessage()).getMessage(), e);
    }
  }
}
