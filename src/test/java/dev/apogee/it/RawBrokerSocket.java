package dev.apogee.it;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A blocking loopback socket that speaks the remoting framing (protocol doc 1.1, 1.3) by hand, for
 * black-box tests of the broker port: build frames, write arbitrary bytes, read JSON-header frames
 * back. Not thread-safe: one test thread per socket.
 */
final class RawBrokerSocket implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 10_000;

  /** One decoded frame: its header fields and body. */
  record Frame(int code, int opaque, int flag, String remark, JsonObject ext, byte[] body) {
    String extField(String key) {
      return ext == null ? null : ext.getString(key);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int nextOpaque = 1;

  RawBrokerSocket(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** A whole frame with a JSON header (protocol doc 1.1, 1.3). */
  static byte[] frame(byte[] header, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + body.length);
    b.putInt(4 + header.length + body.length);
    b.putInt(header.length); // serializeType 0 (JSON) in the high byte
    b.put(header).put(body);
    return b.array();
  }

  /** The JSON header of a request. */
  static byte[] requestHeader(int code, int opaque, int flag, Map<String, String> ext) {
    JsonObject h =
        new JsonObject()
            .put("code", code)
            .put("flag", flag)
            .put("language", "JAVA")
            .put("opaque", opaque)
            .put("serializeTypeCurrentRPC", "JSON")
            .put("version", 513);
    if (ext != null) {
      h.put("extFields", new JsonObject(Map.copyOf(ext)));
    }
    return h.encode().getBytes(StandardCharsets.UTF_8);
  }

  int opaque() {
    return nextOpaque++;
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Sends a request and reads its response (checking the opaque), passing over requests the broker
   * sends meanwhile.
   */
  Frame call(int code, Map<String, String> ext, byte[] body) throws IOException {
    int opaque = opaque();
    write(frame(requestHeader(code, opaque, 0, ext), body));
    Frame f = read();
    while ((f.flag() & 1) == 0) {
      // A request from the broker (NOTIFY_CONSUMER_IDS_CHANGED, oneway): not ours to answer.
      f = read();
    }
    if (f.opaque() != opaque) {
      throw new IOException("expected the response to opaque " + opaque + ", got " + f);
    }
    return f;
  }

  /** Reads one frame with a JSON header. */
  Frame read() throws IOException {
    int length = in.readInt();
    int headerWord = in.readInt();
    int headerLength = headerWord & 0xFFFFFF;
    if ((headerWord >>> 24) != 0) {
      throw new IOException("expected a JSON header, serialize type " + (headerWord >>> 24));
    }
    byte[] header = new byte[headerLength];
    in.readFully(header);
    byte[] body = new byte[length - 4 - headerLength];
    in.readFully(body);
    JsonObject h = new JsonObject(new String(header, StandardCharsets.UTF_8));
    return new Frame(
        h.getInteger("code"),
        h.getInteger("opaque"),
        h.getInteger("flag"),
        h.getString("remark"),
        h.getJsonObject("extFields"),
        body);
  }

  /** Whether the broker closed the connection (reads end of stream before the timeout). */
  boolean closedByPeer() throws IOException {
    try {
      int b = in.read();
      if (b >= 0) {
        throw new IOException("expected the connection closed, read byte " + b);
      }
      return true;
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset counts as closed: the broker dropped the connection with unread bytes pending.
      return "Connection reset".equals(e.getMessage());
    }
  }

  /** Half-closes: the broker reads end of stream, the socket can still read. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
