package dev.apogee.remoting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One command of the remoting protocol, request or response (protocol 1.2): code, language,
 * version, opaque, flag, remark, ext fields (the flattened custom header) and an optional body.
 *
 * <p><b>Ext fields</b> are never null in this API: a header without them decodes to an empty map.
 * Entries with a null key or value are never written.
 *
 * <p><b>Body ownership.</b> A command owns one reference to its body. {@link #setBody(ByteBuf)}
 * takes over the caller's reference and releases the previous body; {@link #release()} drops it.
 * Writing a command through a {@link Connection}, {@link RemotingServer} or {@link RemotingClient}
 * consumes it: the body is released once the bytes are written. A decoded request's body is a slice
 * of the received bytes, released by the server when the processor's future completes; a processor
 * that keeps it longer calls {@code retain()} on it. The caller of an invocation owns the response
 * and releases it.
 *
 * <p><b>Threading:</b> not thread-safe. A command is built and read by one thread at a time; hand
 * it over (write it, return it from a processor) and stop touching it.
 */
public final class RemotingCommand {
  /** Flag bit 0: this command is a response. */
  public static final int FLAG_RESPONSE = 0x1;

  /** Flag bit 1: a request that expects no response. */
  public static final int FLAG_ONEWAY = 0x2;

  /**
   * The version this side reports: RocketMQ 5.5.0's ordinal (protocol 1.6), so peers enable what a
   * current server or client supports (a HEART_BEAT answer below 232 disables SQL92, P13).
   */
  public static final int CURRENT_VERSION = 513;

  private int code;
  private LanguageCode language = LanguageCode.JAVA;
  private int version = CURRENT_VERSION;
  private int opaque;
  private int flag;
  private String remark;
  private final Map<String, String> extFields;
  private ByteBuf body;
  private SerializeType serializeType = SerializeType.JSON;

  RemotingCommand(int code, Map<String, String> extFields) {
    this.code = code;
    this.extFields = extFields;
  }

  /** A request with these ext fields (copied; null values left out); JSON, opaque 0. */
  public static RemotingCommand request(int code, Map<String, String> ext) {
    RemotingCommand cmd = new RemotingCommand(code, new LinkedHashMap<>());
    if (ext != null) {
      ext.forEach(cmd::putExt);
    }
    return cmd;
  }

  /** A request without ext fields. */
  public static RemotingCommand request(int code) {
    return request(code, null);
  }

  /**
   * A response to {@code request}: its opaque, the response flag, and the request's serialize type.
   */
  public static RemotingCommand responseTo(RemotingCommand request, int code, String remark) {
    RemotingCommand cmd = new RemotingCommand(code, new LinkedHashMap<>());
    cmd.opaque = request.opaque;
    cmd.flag = FLAG_RESPONSE;
    cmd.remark = remark;
    cmd.serializeType = request.serializeType;
    return cmd;
  }

  public int code() {
    return code;
  }

  public LanguageCode language() {
    return language;
  }

  public int version() {
    return version;
  }

  public int opaque() {
    return opaque;
  }

  public int flag() {
    return flag;
  }

  public boolean isResponse() {
    return (flag & FLAG_RESPONSE) != 0;
  }

  public boolean isOneway() {
    return (flag & FLAG_ONEWAY) != 0;
  }

  /** The remark, or null. */
  public String remark() {
    return remark;
  }

  /** The ext fields, in arrival (or insertion) order; mutable, never null. */
  public Map<String, String> extFields() {
    return extFields;
  }

  /** The body, or null when there is none. Still owned by this command. */
  public ByteBuf body() {
    return body;
  }

  /** The body's bytes as a new array (empty when there is no body); the body is kept. */
  public byte[] bodyBytes() {
    if (body == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[body.readableBytes()];
    body.getBytes(body.readerIndex(), bytes);
    return bytes;
  }

  /** The type the header arrived with, or will be written with. */
  public SerializeType serializeType() {
    return serializeType;
  }

  public RemotingCommand setCode(int code) {
    this.code = code;
    return this;
  }

  public RemotingCommand setLanguage(LanguageCode language) {
    this.language = language == null ? LanguageCode.OTHER : language;
    return this;
  }

  public RemotingCommand setVersion(int version) {
    this.version = version;
    return this;
  }

  public RemotingCommand setOpaque(int opaque) {
    this.opaque = opaque;
    return this;
  }

  public RemotingCommand setFlag(int flag) {
    this.flag = flag;
    return this;
  }

  public RemotingCommand markOneway() {
    this.flag |= FLAG_ONEWAY;
    return this;
  }

  public RemotingCommand markResponse() {
    this.flag |= FLAG_RESPONSE;
    return this;
  }

  public RemotingCommand setRemark(String remark) {
    this.remark = remark;
    return this;
  }

  public RemotingCommand setSerializeType(SerializeType serializeType) {
    if (serializeType == null) {
      throw new IllegalArgumentException("serializeType must not be null");
    }
    this.serializeType = serializeType;
    return this;
  }

  /** Sets an ext field; a null value removes it (a null header field is not sent). */
  public RemotingCommand putExt(String key, String value) {
    if (key == null) {
      throw new IllegalArgumentException("ext field name must not be null");
    }
    if (value == null) {
      extFields.remove(key);
    } else {
      extFields.put(key, value);
    }
    return this;
  }

  /** Sets a numeric ext field, written in decimal like RocketMQ's {@code String.valueOf}. */
  public RemotingCommand putExt(String key, long value) {
    return putExt(key, Long.toString(value));
  }

  public RemotingCommand putExt(String key, boolean value) {
    return putExt(key, Boolean.toString(value));
  }

  /** Takes over the caller's reference to {@code body} (null: none); releases the old body. */
  public RemotingCommand setBody(ByteBuf body) {
    ByteBuf old = this.body;
    this.body = body;
    if (old != null && old != body) {
      old.release();
    }
    return this;
  }

  /** Wraps {@code bytes} (not copied) as the body; null or empty means no body. */
  public RemotingCommand setBody(byte[] bytes) {
    return setBody(bytes == null || bytes.length == 0 ? null : Unpooled.wrappedBuffer(bytes));
  }

  /** Drops this command's reference to its body, if any. */
  public void release() {
    setBody((ByteBuf) null);
  }

  // ------------------------------------------------------------------ ext field readers

  /** The ext field's value, or null when absent. */
  public String ext(String name) {
    return extFields.get(name);
  }

  /** The ext field's value; throws naming the field when it is absent. */
  public String requireExt(String name) {
    String v = extFields.get(name);
    if (v == null) {
      throw new IllegalArgumentException("header field '" + name + "' is missing");
    }
    return v;
  }

  public int extInt(String name) {
    return parseInt(name, requireExt(name));
  }

  public int extInt(String name, int absent) {
    String v = extFields.get(name);
    return v == null ? absent : parseInt(name, v);
  }

  public long extLong(String name) {
    return parseLong(name, requireExt(name));
  }

  public long extLong(String name, long absent) {
    String v = extFields.get(name);
    return v == null ? absent : parseLong(name, v);
  }

  /** A boolean field: {@code true} or {@code false} in any case; anything else is an error. */
  public boolean extBoolean(String name) {
    return parseBoolean(name, requireExt(name));
  }

  public boolean extBoolean(String name, boolean absent) {
    String v = extFields.get(name);
    return v == null ? absent : parseBoolean(name, v);
  }

  private static int parseInt(String name, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "header field '" + name + "' is not an int: '" + v + "'", e);
    }
  }

  private static long parseLong(String name, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "header field '" + name + "' is not a long: '" + v + "'", e);
    }
  }

  private static boolean parseBoolean(String name, String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "header field '" + name + "' is not a boolean: '" + v + "'");
    };
  }

  @Override
  public String toString() {
    return "RemotingCommand[code="
        + code
        + ", language="
        + language
        + ", version="
        + version
        + ", opaque="
        + opaque
        + ", flag="
        + flag
        + ", remark="
        + remark
        + ", extFields="
        + extFields
        + ", body="
        + (body == null ? 0 : body.readableBytes())
        + " bytes, "
        + serializeType
        + "]";
  }
}
