package dev.apogee.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's JSON answers. */
final class Http {
  private static final Logger LOG = LoggerFactory.getLogger(Http.class);

  private Http() {}

  static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** An error as {@code {code, message}}, {@code code} being the HTTP status. */
  static void error(RoutingContext rc, int status, String message) {
    // One line per refused request; at debug, as a client sending bad requests in a loop must
    // not fill the broker's log.
    LOG.debug(
        "HTTP {} {} refused with {}: {}",
        rc.request().method(),
        rc.request().path(),
        status,
        message);
    json(rc, status, new JsonObject().put("code", status).put("message", message));
  }
}
