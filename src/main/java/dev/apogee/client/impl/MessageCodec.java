package dev.apogee.client.impl;

import dev.apogee.client.ClientException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The client side of RocketMQ's message encodings: the properties string (rocketmq-protocol.md
 * 3.1), the SEND_BATCH_MESSAGE body (3.6) and zlib bodies (3.2). Stateless and thread-safe.
 */
final class MessageCodec {
  /** Separates a property's name from its value. */
  static final char NAME_VALUE_SEPARATOR = '\u0001';

  /** Ends each property. */
  static final char PROPERTY_SEPARATOR = '\u0002';

  /** sysFlag 0x1: the body is compressed. */
  static final int FLAG_COMPRESSED = 0x1;

  /** sysFlag 0x40: an inner batch the client must unwrap. */
  static final int FLAG_NEED_UNWRAP = 0x40;

  /** sysFlag 0x80: the record holds an inner batch. */
  static final int FLAG_INNER_BATCH = 0x80;

  /** sysFlag bits 8-10: the compression type. */
  static final int COMPRESSION_TYPE_MASK = 0x700;

  /** Compression type 3 (ZLIB) in place: {@code 3 << 8}; type 0 is legacy zlib too. */
  static final int COMPRESSION_ZLIB = 0x300;

  /** The properties length is a signed short in records and batch entries. */
  static final int MAX_PROPERTIES_BYTES = Short.MAX_VALUE;

  private MessageCodec() {}

  /** {@code name U+0001 value U+0002} for each entry with a value. */
  static String encodeProperties(Map<String, String> properties) {
    StringBuilder out = new StringBuilder(64);
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getValue() != null) {
        out.append(e.getKey())
            .append(NAME_VALUE_SEPARATOR)
            .append(e.getValue())
            .append(PROPERTY_SEPARATOR);
      }
    }
    return out.toString();
  }

  /**
   * The properties of a properties string, in order. Segments without a separator after a non-empty
   * name, or with an empty value, are skipped as RocketMQ's decoder skips them.
   */
  static Map<String, String> decodeProperties(String s) {
    Map<String, String> map = new LinkedHashMap<>();
    int start = 0;
    int length = s.length();
    while (start < length) {
      int end = s.indexOf(PROPERTY_SEPARATOR, start);
      if (end < 0) {
        end = length;
      }
      int sep = s.indexOf(NAME_VALUE_SEPARATOR, start);
      if (end - start >= 3 && sep > start && sep < end - 1) {
        map.put(s.substring(start, sep), s.substring(sep + 1, end));
      }
      start = end + 1;
    }
    return map;
  }

  /** The UTF-8 bytes of the properties string, checked against the record's limit. */
  static byte[] propertiesBytes(Map<String, String> properties) {
    byte[] bytes = encodeProperties(properties).getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_PROPERTIES_BYTES) {
      throw new ClientException(
          "message properties take "
              + bytes.length
              + " bytes, more than the "
              + MAX_PROPERTIES_BYTES
              + " a record holds");
    }
    return bytes;
  }

  /** One entry of a batch body: flag, body and properties (already encoded). */
  record BatchEntry(int flag, byte[] body, byte[] properties) {
    int size() {
      return 4 + 4 + 4 + 4 + 4 + body.length + 2 + properties.length;
    }
  }

  /**
   * The SEND_BATCH_MESSAGE body: per entry {@code int totalSize, int magic 0, int bodyCRC 0, int
   * flag, int bodyLength, body, short propertiesLength, properties}.
   */
  static byte[] encodeBatch(List<BatchEntry> entries) {
    int total = 0;
    for (BatchEntry e : entries) {
      total += e.size();
    }
    ByteBuffer out = ByteBuffer.allocate(total);
    for (BatchEntry e : entries) {
      out.putInt(e.size())
          .putInt(0)
          .putInt(0)
          .putInt(e.flag())
          .putInt(e.body().length)
          .put(e.body())
          .putShort((short) e.properties().length)
          .put(e.properties());
    }
    return out.array();
  }

  /** {@code body} as a zlib stream at {@code level}, as the official producer compresses. */
  static byte[] deflate(byte[] body, int level) {
    Deflater deflater = new Deflater(level);
    try {
      deflater.setInput(body);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        int n = deflater.deflate(chunk);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /** The bytes of zlib stream {@code data}; a {@link ClientException} when it is not one. */
  static byte[] inflate(byte[] data) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length * 4));
      byte[] chunk = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new ClientException(
              "compressed body of " + data.length + " bytes ends before its zlib stream does");
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new ClientException("compressed body is not a zlib stream: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /** The stored body as the application sent it: inflated when sysFlag says it is compressed. */
  static byte[] uncompressed(byte[] stored, int sysFlag) {
    if ((sysFlag & FLAG_COMPRESSED) == 0) {
      return stored;
    }
    int type = (sysFlag & COMPRESSION_TYPE_MASK) >>> 8;
    if (type != 0 && type != COMPRESSION_ZLIB >>> 8) {
      throw new ClientException(
          "body compressed with "
              + (type == 1 ? "LZ4" : type == 2 ? "ZSTD" : "type " + type)
              + " (sysFlag 0x"
              + Integer.toHexString(sysFlag)
              + "); this client inflates only zlib");
    }
    return inflate(stored);
  }
}
