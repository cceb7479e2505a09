package dev.apogee.remoting;

import io.netty.buffer.ByteBuf;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection speaking the remoting protocol, on either side: decodes its frames, hands
 * requests to the registered processors and writes their answers, matches responses to the requests
 * this side sent, and pauses reading while the peer does not take what is written.
 *
 * <p>A frame that cannot be decoded closes the connection with one log line. The connection also
 * carries what the broker learns about its peer: the language and version of the last request seen,
 * an attribute map, and close listeners.
 *
 * <p><b>Threading:</b> everything happens on the event loop of the socket's context. The public
 * methods may be called from any thread; close listeners run on that event loop.
 */
public final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private final Vertx vertx;
  private final NetSocket socket;
  private final ContextInternal context;
  private final String remoteAddress;
  private final String direction;
  private final boolean inbound;
  private final ProcessorTable processors;
  private final FrameDecoder decoder;
  private final InvocationTable invocations;
  private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();
  private final List<Handler<Connection>> closeListeners = new ArrayList<>();
  private volatile LanguageCode language;
  private volatile int version = -1;
  private volatile boolean closed;

  // Written on the event loop only; volatile so that tests and metrics may read it elsewhere.
  private volatile boolean pausedForWrites;

  // Event loop only.
  private boolean broken;
  private boolean draining;
  private int inFlight;

  /** Must be called on the socket's context; takes over the socket's handlers. */
  Connection(
      Vertx vertx,
      NetSocket socket,
      ProcessorTable processors,
      int maxFrameLength,
      boolean inbound) {
    this.vertx = vertx;
    this.socket = socket;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.remoteAddress = socket.remoteAddress().host() + ":" + socket.remoteAddress().port();
    this.direction = inbound ? "from " : "to ";
    this.inbound = inbound;
    this.processors = processors;
    this.decoder = new FrameDecoder(maxFrameLength, this::onCommand);
    this.invocations = new InvocationTable(vertx, remoteAddress);
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(this::onException);
    socket.drainHandler(v -> onDrained());
    consolidateFlushes(socket);
  }

  /**
   * Responses completed together (a batch of appends answered in one event-loop task, several
   * requests of one client in flight) go out in one socket write instead of one each: a flush waits
   * for the end of the current event-loop task, or for 256 pending flushes.
   */
  private static void consolidateFlushes(NetSocket socket) {
    if (socket instanceof NetSocketInternal s) {
      s.channelHandlerContext().pipeline().addFirst(new FlushConsolidationHandler(256, true));
    }
  }

  /** The peer's address, {@code host:port}. */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** The language of the last request the peer sent, or null before its first request. */
  public LanguageCode language() {
    return language;
  }

  /** The version of the last request the peer sent, or -1 before its first request. */
  public int version() {
    return version;
  }

  /** State the owner hangs on this connection (client id, groups, ...); thread-safe. */
  public ConcurrentMap<String, Object> attributes() {
    return attributes;
  }

  public boolean isOpen() {
    return !closed;
  }

  /**
   * Runs {@code listener} on the connection's event loop once it has closed (for whatever reason);
   * at once, there, when it is already closed.
   */
  public void onClose(Handler<Connection> listener) {
    synchronized (closeListeners) {
      if (!closed) {
        closeListeners.add(listener);
        return;
      }
    }
    context.runOnContext(v -> notify(listener));
  }

  /** Closes the connection; invocations awaiting an answer fail. */
  public Future<Void> close() {
    return socket.close();
  }

  @Override
  public String toString() {
    return "Connection[" + direction + remoteAddress + "]";
  }

  // ------------------------------------------------------------------ sending

  /** Sends {@code request} (consumed) and completes with the peer's response. */
  public Future<RemotingCommand> invoke(RemotingCommand request, long timeoutMillis) {
    Promise<RemotingCommand> promise = callerPromise();
    onLoop(() -> send(request, promise, timeoutMillis));
    return promise.future();
  }

  /** Sends {@code request} (consumed) with the oneway flag; completes once written. */
  public Future<Void> invokeOneway(RemotingCommand request) {
    Promise<Void> promise = callerPromise();
    onLoop(
        () -> {
          if (refuseClosed(request, promise)) {
            return;
          }
          request.setFlag(request.flag() & ~RemotingCommand.FLAG_RESPONSE).markOneway();
          request.setOpaque(invocations.nextOpaque());
          write(request).onComplete(promise);
        });
    return promise.future();
  }

  private void send(RemotingCommand request, Promise<RemotingCommand> promise, long timeoutMillis) {
    if (refuseClosed(request, promise)) {
      return;
    }
    int twoWay = request.flag() & ~(RemotingCommand.FLAG_RESPONSE | RemotingCommand.FLAG_ONEWAY);
    int code = request.code();
    int opaque = invocations.register(promise, code, timeoutMillis);
    request.setFlag(twoWay).setOpaque(opaque);
    write(request)
        .onFailure(
            e -> {
              String what = "cannot send request code " + code + " " + direction + remoteAddress;
              onLoop(() -> invocations.fail(opaque, new RemotingException(what, e)));
            });
  }

  private boolean refuseClosed(RemotingCommand request, Promise<?> promise) {
    if (!closed) {
      return false;
    }
    request.release();
    promise.fail(new RemotingException("connection " + direction + remoteAddress + " is closed"));
    return true;
  }

  /** Stops taking requests; closes once every request in flight has been answered. */
  void shutdown() {
    onLoop(
        () -> {
          draining = true;
          if (inFlight == 0) {
            socket.close();
          }
        });
  }

  /** Whether reading is paused because the peer is not taking what is written. */
  boolean readPausedForWrites() {
    return pausedForWrites;
  }

  /** Writes {@code cmd} and releases it; the frame is released once written. Event loop. */
  private Future<Void> write(RemotingCommand cmd) {
    ByteBuf frame;
    try {
      frame = FrameEncoder.encode(cmd);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    } finally {
      cmd.release();
    }
    Future<Void> written = socket.write(BufferInternal.buffer(frame));
    written.onComplete(ar -> frame.release());
    // A server stops reading a peer that does not take its answers. A client must not: its
    // writes back up when the server is busy answering, and a client that then stopped reading
    // those answers would leave both sides waiting for each other until requests time out.
    if (inbound && !pausedForWrites && socket.writeQueueFull()) {
      pausedForWrites = true;
      socket.pause();
    }
    return written;
  }

  private void onDrained() {
    if (pausedForWrites) {
      pausedForWrites = false;
      socket.resume();
    }
  }

  // ------------------------------------------------------------------ receiving

  private void onData(Buffer chunk) {
    if (broken) {
      return;
    }
    try {
      decoder.feed(chunk);
    } catch (FrameException e) {
      broken = true;
      LOG.warn("closing connection {}{}: {}", direction, remoteAddress, e.getMessage());
      socket.close();
    } catch (RuntimeException e) {
      broken = true;
      LOG.error("closing connection {}{}: failed to handle its data", direction, remoteAddress, e);
      socket.close();
    }
  }

  private void onCommand(RemotingCommand cmd) {
    if (!cmd.isResponse()) {
      handleRequest(cmd);
    } else if (!invocations.complete(cmd)) {
      LOG.warn(
          "dropping response code {} opaque {} {}{}: no request awaits it",
          cmd.code(),
          cmd.opaque(),
          direction,
          remoteAddress);
      cmd.release();
    }
  }

  private void handleRequest(RemotingCommand request) {
    language = request.language();
    version = request.version();
    RequestProcessor processor = processors.get(request.code());
    if (draining || processor == null) {
      refuse(request, processor == null);
      return;
    }
    inFlight++;
    Future<RemotingCommand> answer;
    try {
      answer = processor.process(this, request);
      if (answer == null) {
        answer = Future.failedFuture(new IllegalStateException("processor returned no future"));
      }
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> onLoop(() -> answer(request, ar)));
  }

  private void refuse(RemotingCommand request, boolean unknownCode) {
    if (!request.isOneway()) {
      RemotingCommand response =
          unknownCode
              ? RemotingCommand.responseTo(
                  request,
                  ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                  " request type " + request.code() + " not supported")
              : RemotingCommand.responseTo(
                  request, ResponseCode.SYSTEM_BUSY, "shutting down, try another server");
      write(response);
    } else {
      LOG.debug(
          "oneway request code {} {}{} not handled ({})",
          request.code(),
          direction,
          remoteAddress,
          unknownCode ? "unknown code" : "shutting down");
    }
    request.release();
  }

  private void answer(RemotingCommand request, AsyncResult<RemotingCommand> ar) {
    inFlight--;
    try {
      RemotingCommand response;
      if (ar.succeeded()) {
        response = ar.result();
      } else {
        Throwable cause = ar.cause();
        LOG.error(
            "processor for request code {} opaque {} {}{} failed",
            request.code(),
            request.opaque(),
            direction,
            remoteAddress,
            cause);
        String remark = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        response = RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, remark);
      }
      if (response == null) {
        return;
      }
      if (request.isOneway() || closed) {
        // Never answer a oneway request (protocol P11); a closed peer cannot be answered.
        response.release();
        return;
      }
      response.setOpaque(request.opaque()).markResponse().setSerializeType(request.serializeType());
      write(response)
          .onFailure(
              e ->
                  LOG.debug(
                      "response to request code {} opaque {} {}{} not written: {}",
                      request.code(),
                      request.opaque(),
                      direction,
                      remoteAddress,
                      e.toString()));
    } finally {
      request.release();
      if (draining && inFlight == 0) {
        socket.close();
      }
    }
  }

  // ------------------------------------------------------------------ lifecycle

  private void onException(Throwable t) {
    if (t instanceof IOException) {
      LOG.debug("connection {}{}: {}", direction, remoteAddress, t.toString());
    } else {
      LOG.warn("connection {}{}: unexpected error", direction, remoteAddress, t);
    }
  }

  private void onClosed() {
    List<Handler<Connection>> listeners;
    synchronized (closeListeners) {
      closed = true;
      listeners = new ArrayList<>(closeListeners);
      closeListeners.clear();
    }
    decoder.release();
    invocations.failAll("closed");
    LOG.debug("connection {}{} closed", direction, remoteAddress);
    listeners.forEach(this::notify);
  }

  private void notify(Handler<Connection> listener) {
    try {
      listener.handle(this);
    } catch (RuntimeException e) {
      LOG.error("close listener of connection {}{} failed", direction, remoteAddress, e);
    }
  }

  private void onLoop(Runnable task) {
    if (context.isRunningOnContext()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /** A promise whose callbacks run on the caller's context, not on this connection's loop. */
  private <T> Promise<T> callerPromise() {
    return ((ContextInternal) vertx.getOrCreateContext()).promise();
  }
}
