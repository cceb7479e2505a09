package dev.apogee.broker.processor;

import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestProcessor;
import io.vertx.core.Future;

/**
 * Turns a processor's expected refusals into responses in one place: a {@link RequestException}
 * answers with its code and remark, and a malformed or missing header field (the {@link
 * IllegalArgumentException} of {@link RemotingCommand}'s readers) with INVALID_PARAMETER naming the
 * field. Anything else still reaches the remoting layer, which logs it once and answers
 * SYSTEM_ERROR.
 */
public final class Guarded {
  private Guarded() {}

  public static RequestProcessor of(RequestProcessor p) {
    return (c, req) -> {
      try {
        return p.process(c, req).recover(e -> refusal(req, e));
      } catch (RequestException | IllegalArgumentException e) {
        return refusal(req, e);
      }
    };
  }

  private static Future<RemotingCommand> refusal(RemotingCommand req, Throwable e) {
    if (e instanceof RequestException) {
      RequestException r = (RequestException) e;
      return Future.succeededFuture(RemotingCommand.responseTo(req, r.code(), r.remark()));
    }
    if (e instanceof IllegalArgumentException) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(req, Headers.INVALID_PARAMETER, e.getMessage()));
    }
    return Future.failedFuture(e);
  }
}
