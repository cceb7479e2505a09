package dev.apogee.remoting;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the remoting protocol: one connection per {@code host:port}, opened on first
 * use and opened again on the next use after it closed; requests and their responses; requests the
 * server sends on that connection handed to the registered {@link RequestProcessor}s.
 *
 * <p><b>Threading:</b> every method may be called from any thread; futures complete on the caller's
 * context. A connection lives on the event loop of the context that first used it, where the
 * processors run.
 */
public final class RemotingClient {
  private static final Logger LOG = LoggerFactory.getLogger(RemotingClient.class);

  /**
   * How to connect.
   *
   * @param connectTimeout the longest a connection attempt may take
   * @param idleTimeout a connection without reads and writes for this long is closed; zero: never
   * @param maxFrameLength the largest frame accepted from a server
   */
  public record Options(Duration connectTimeout, Duration idleTimeout, int maxFrameLength) {
    public Options {
      if (connectTimeout.isNegative() || connectTimeout.isZero() || idleTimeout.isNegative()) {
        throw new IllegalArgumentException("connectTimeout must be positive, idleTimeout >= 0");
      }
      if (maxFrameLength < 8) {
        throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " is below 8");
      }
    }

    /** RocketMQ client's defaults: 3 s to connect, 120 s idle time, 16 MiB frames. */
    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(3), Duration.ofSeconds(120), FrameDecoder.DEFAULT_MAX_FRAME_LENGTH);
    }

    public Options withIdleTimeout(Duration idleTimeout) {
      return new Options(connectTimeout, idleTimeout, maxFrameLength);
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final NetClient netClient;
  private final ProcessorTable processors = new ProcessorTable();
  private final ConcurrentHashMap<String, Future<Connection>> connections =
      new ConcurrentHashMap<>();
  private volatile boolean closed;

  public RemotingClient(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.netClient =
        vertx.createNetClient(
            new NetClientOptions()
                .setConnectTimeout(
                    (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .setTcpNoDelay(true)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
  }

  /** Routes requests the server sends with {@code code} to {@code processor}. */
  public RemotingClient registerProcessor(int code, RequestProcessor processor) {
    processors.register(code, processor);
    return this;
  }

  /**
   * Sends {@code request} (consumed) to {@code address} and completes with the response, which the
   * caller then owns. The timeout covers connecting too.
   */
  public Future<RemotingCommand> invoke(
      String address, RemotingCommand request, long timeoutMillis) {
    Promise<RemotingCommand> result = callerPromise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    open(address)
        .recover(e -> failAndRelease(request, e))
        .compose(
            c -> {
              long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
              if (left <= 0) {
                return failAndRelease(
                    request,
                    new RemotingTimeoutException(
                        "connecting to " + address + " took the whole " + timeoutMillis + " ms"));
              }
              return c.invoke(request, left);
            })
        .onComplete(result);
    return result.future();
  }

  /** Sends {@code request} (consumed) as oneway to {@code address}; completes once written. */
  public Future<Void> invokeOneway(String address, RemotingCommand request) {
    Promise<Void> result = callerPromise();
    open(address)
        .recover(e -> failAndRelease(request, e))
        .compose(c -> c.invokeOneway(request))
        .onComplete(result);
    return result.future();
  }

  /** The open connection to {@code address}, opening one when there is none. */
  public Future<Connection> connection(String address) {
    Promise<Connection> result = callerPromise();
    open(address).onComplete(result);
    return result.future();
  }

  /** Closes every connection; later calls fail. */
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (Future<Connection> f : connections.values()) {
      closing.add(f.compose(Connection::close));
    }
    connections.clear();
    return Future.join(closing).transform(ar -> netClient.close());
  }

  private Future<Connection> open(String address) {
    if (closed) {
      return Future.failedFuture(new RemotingException("client is closed"));
    }
    Future<Connection> existing = connections.get(address);
    if (existing != null && !(existing.succeeded() && !existing.result().isOpen())) {
      return existing;
    }
    Promise<Connection> promise = Promise.promise();
    Future<Connection> mine = promise.future();
    Future<Connection> winner =
        connections.compute(
            address, (a, current) -> current == null || current == existing ? mine : current);
    if (winner == mine) {
      mine.onComplete(
          ar -> {
            if (ar.failed()) {
              connections.remove(address, mine);
            } else {
              ar.result().onClose(c -> connections.remove(address, mine));
              if (closed) {
                ar.result().close();
              }
            }
          });
      connect(address).onComplete(promise);
    }
    return winner;
  }

  private Future<Connection> connect(String address) {
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return Future.failedFuture(
          new IllegalArgumentException("address '" + address + "' is not host:port", e));
    }
    String host = address.substring(0, Math.max(0, colon)).replace("[", "").replace("]", "");
    return netClient
        .connect(port, host)
        .recover(
            e ->
                Future.failedFuture(
                    new RemotingException("cannot connect to " + address + ": " + e, e)))
        .map(
            socket -> {
              Connection c =
                  new Connection(vertx, socket, processors, options.maxFrameLength(), false);
              LOG.debug("connected to {}", address);
              return c;
            });
  }

  /** A promise whose callbacks run on the caller's context. */
  private <T> Promise<T> callerPromise() {
    return ((ContextInternal) vertx.getOrCreateContext()).promise();
  }

  private static <T> Future<T> failAndRelease(RemotingCommand request, Throwable e) {
    request.release();
    return Future.failedFuture(e);
  }
}
