package dev.apogee.remoting;

import io.vertx.core.Future;

/**
 * Handles the requests of one or more codes, registered with a {@link RemotingServer} or a {@link
 * RemotingClient} (for requests a server sends to the client).
 *
 * <p><b>Threading:</b> called on the connection's event loop; must not block. Slow work goes to a
 * worker or another verticle, and the returned future completes when it is done (long polling, for
 * one, returns a future completed much later).
 *
 * <p><b>Contract:</b> the returned future's response is written back with the request's opaque, the
 * response flag and the request's serialize type, whatever the processor set there; {@link
 * RemotingCommand#responseTo} builds one. A future completed with null writes nothing. A failed
 * future, or an exception thrown here, is logged once and answered with {@link
 * ResponseCode#SYSTEM_ERROR} and the exception's message as remark. For a oneway request nothing is
 * ever written (protocol P11): a response is released unsent. The request's body is released when
 * the future completes; a processor that keeps it longer retains it.
 */
@FunctionalInterface
public interface RequestProcessor {
  Future<RemotingCommand> process(Connection connection, RemotingCommand request);
}
