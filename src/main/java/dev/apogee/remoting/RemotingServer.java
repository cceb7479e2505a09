package dev.apogee.remoting;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the remoting protocol on a Vert.x {@link NetServer}: one {@link Connection}
 * per accepted socket, requests dispatched by code to {@link RequestProcessor}s, unknown codes
 * answered {@link ResponseCode#REQUEST_CODE_NOT_SUPPORTED} (never for oneway requests), and
 * requests of its own sent to a client on that client's connection.
 *
 * <p>Idle connections (no read and no write for {@link Options#idleTimeout()}) are closed. {@link
 * #stop()} stops accepting, answers the requests in flight, then closes every connection (calling
 * it again returns the same future); requests arriving meanwhile are answered {@link
 * ResponseCode#SYSTEM_BUSY}.
 *
 * <p><b>Threading:</b> create and {@link #start()} it on the context that is to run its
 * connections, typically in a verticle's {@code start()}; several instances listening on one port
 * (one per verticle instance) share the connections out between their event loops. Processors run
 * on the connection's event loop. Registration, {@link #invoke} and {@link #invokeOneway} may be
 * called from any thread; futures complete on the caller's context.
 */
public final class RemotingServer {
  private static final Logger LOG = LoggerFactory.getLogger(RemotingServer.class);

  /**
   * Where and how to listen.
   *
   * @param host address to bind, e.g. {@code 0.0.0.0}
   * @param port port to bind; 0 takes a free one ({@link #actualPort()})
   * @param maxFrameLength the largest frame accepted; a longer one closes its connection
   * @param idleTimeout a connection without reads and writes for this long is closed; zero: never
   * @param shutdownTimeout how long {@link #stop()} waits for requests in flight
   * @param port the port; 0 for an ephemeral one per server, -1 for one ephemeral port shared by
   *     every server of this Vert.x that asks for -1 (several verticle instances serving one port)
   */
  public record Options(
      String host, int port, int maxFrameLength, Duration idleTimeout, Duration shutdownTimeout) {
    public Options {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must be set");
      }
      if (port < -1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not in -1..65535");
      }
      if (maxFrameLength < 8) {
        throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " is below 8");
      }
      if (idleTimeout.isNegative() || shutdownTimeout.isNegative()) {
        throw new IllegalArgumentException("timeouts must not be negative");
      }
    }

    /** RocketMQ's defaults: 16 MiB frames, 120 s idle time; 30 s to drain on stop. */
    public static Options of(String host, int port) {
      return new Options(
          host,
          port,
          FrameDecoder.DEFAULT_MAX_FRAME_LENGTH,
          Duration.ofSeconds(120),
          Duration.ofSeconds(30));
    }

    public Options withMaxFrameLength(int maxFrameLength) {
      return new Options(host, port, maxFrameLength, idleTimeout, shutdownTimeout);
    }

    public Options withIdleTimeout(Duration idleTimeout) {
      return new Options(host, port, maxFrameLength, idleTimeout, shutdownTimeout);
    }

    public Options withShutdownTimeout(Duration shutdownTimeout) {
      return new Options(host, port, maxFrameLength, idleTimeout, shutdownTimeout);
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final ProcessorTable processors = new ProcessorTable();
  private volatile Handler<Connection> connectionHandler;
  private volatile NetServer server;
  private Future<Void> stopped;
  private volatile boolean stopping;

  public RemotingServer(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Routes requests with {@code code} to {@code processor}, replacing an earlier one. */
  public RemotingServer registerProcessor(int code, RequestProcessor processor) {
    processors.register(code, processor);
    return this;
  }

  /** Called on each new connection's event loop before its first request is read. */
  public RemotingServer connectionHandler(Handler<Connection> handler) {
    this.connectionHandler = handler;
    return this;
  }

  /** Binds; fails when the address cannot be bound. */
  public Future<Void> start() {
    if (server != null) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    NetServerOptions netOptions =
        new NetServerOptions()
            .setHost(options.host())
            .setPort(options.port())
            .setTcpNoDelay(true)
            .setReuseAddress(true)
            .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.idleTimeout().toMillis()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    NetServer s = vertx.createNetServer(netOptions).connectHandler(this::accept);
    server = s;
    return s.listen()
        .onFailure(e -> server = null)
        .onSuccess(
            v -> LOG.info("remoting server listening on {}:{}", options.host(), s.actualPort()))
        .mapEmpty();
  }

  /** The bound port; meaningful once {@link #start()} has succeeded. */
  public int actualPort() {
    NetServer s = server;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s.actualPort();
  }

  /**
   * Sends {@code request} (consumed) to the client on {@code connection}; see {@link Connection}.
   */
  public Future<RemotingCommand> invoke(
      Connection connection, RemotingCommand request, long timeoutMillis) {
    return connection.invoke(request, timeoutMillis);
  }

  /** Sends {@code request} (consumed) as oneway; completes once written. */
  public Future<Void> invokeOneway(Connection connection, RemotingCommand request) {
    return connection.invokeOneway(request);
  }

  /**
   * Stops accepting, lets requests in flight be answered, closes every connection; connections
   * still open after {@link Options#shutdownTimeout()} are closed regardless.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      stopping = true;
      NetServer s = server;
      stopped =
          s == null
              ? Future.succeededFuture()
              : s.shutdown(options.shutdownTimeout())
                  .onComplete(ar -> LOG.info("remoting server on port {} stopped", s.actualPort()));
    }
    return stopped;
  }

  private void accept(NetSocket socket) {
    if (stopping) {
      // Accepted while the listener was being unbound: the shutdown will not reach it.
      socket.close();
      return;
    }
    Connection connection =
        new Connection(vertx, socket, processors, options.maxFrameLength(), true);
    socket.shutdownHandler(timeout -> connection.shutdown());
    LOG.debug("connection from {} accepted", connection.remoteAddress());
    Handler<Connection> handler = connectionHandler;
    if (handler != null) {
      try {
        handler.handle(connection);
      } catch (RuntimeException e) {
        LOG.error("connection handler failed for {}; closing it", connection.remoteAddress(), e);
        connection.close();
      }
    }
  }
}
