package dev.apogee.remoting;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client that writes raw bytes and decodes what comes back, with small send/expect helpers: for
 * tests of what a server does with frames our own client would never send.
 */
final class RawClient {
  private final NetClient netClient;
  final NetSocket socket;
  private final BlockingQueue<RemotingCommand> received = new LinkedBlockingQueue<>();
  private final Promise<Void> closed = Promise.promise();
  private volatile FrameException decodeFailure;

  private RawClient(NetClient netClient, NetSocket socket) {
    this.netClient = netClient;
    this.socket = socket;
    FrameDecoder decoder = new FrameDecoder(Integer.MAX_VALUE, received::add);
    socket.handler(
        chunk -> {
          try {
            decoder.feed(chunk);
          } catch (FrameException e) {
            decodeFailure = e;
          }
        });
    socket.closeHandler(v -> closed.tryComplete());
  }

  static RawClient connect(Vertx vertx, int port) {
    NetClient client = vertx.createNetClient();
    return new RawClient(client, Await.result(client.connect(port, "127.0.0.1")));
  }

  void send(byte[] bytes) {
    Await.result(socket.write(Buffer.buffer(bytes)));
  }

  void send(RemotingCommand cmd) {
    send(Frames.encode(cmd));
    cmd.release();
  }

  /** The next command the server sent; fails after the test timeout. */
  RemotingCommand expect() {
    try {
      RemotingCommand cmd = received.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (cmd == null) {
        throw new AssertionError("nothing received; decode failure: " + decodeFailure);
      }
      return cmd;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends {@code request} and returns the next command received, checked to answer it. */
  RemotingCommand call(RemotingCommand request) {
    int opaque = request.opaque();
    send(request);
    RemotingCommand response = expect();
    if (!response.isResponse() || response.opaque() != opaque) {
      throw new AssertionError("expected the response to opaque " + opaque + ", got " + response);
    }
    return response;
  }

  int pending() {
    return received.size();
  }

  void awaitClosed() {
    Await.result(closed.future());
  }

  boolean isClosed() {
    return closed.future().isComplete();
  }

  void close() {
    Await.result(netClient.close());
  }
}
