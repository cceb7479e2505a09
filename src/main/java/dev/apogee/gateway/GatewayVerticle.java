package dev.apogee.gateway;

import dev.apogee.config.GatewayConfig;
import dev.apogee.metrics.BrokerMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server: {@code GET /health} (the process is up), {@code GET /ready} (store
 * recovered and broker registered: 200, else 503) and {@code GET /metrics} (Prometheus text).
 * Unknown paths answer 404 and other methods 405, as JSON {@code {code, message}}.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final GatewayConfig config;
  private final BrokerMetrics metrics;
  private final BooleanSupplier ready;
  private HttpServer server;

  public GatewayVerticle(GatewayConfig config, BrokerMetrics metrics, BooleanSupplier ready) {
    this.config = config;
    this.metrics = metrics;
    this.ready = ready;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
    router
        .get("/ready")
        .handler(
            rc ->
                json(
                    rc,
                    ready.getAsBoolean() ? 200 : 503,
                    new JsonObject().put("status", ready.getAsBoolean() ? "READY" : "STARTING")));
    router.get("/metrics").handler(this::metrics);
    router.errorHandler(404, rc -> error(rc, 404, "no such resource: " + rc.request().path()));
    router.errorHandler(
        405, rc -> error(rc, 405, rc.request().method() + " is not allowed on this resource"));
    router.errorHandler(
        500,
        rc -> {
          LOG.error("HTTP {} {} failed", rc.request().method(), rc.request().path(), rc.failure());
          error(rc, 500, "internal error");
        });
    server = vertx.createHttpServer(new HttpServerOptions().setPort(config.gatewayPort()));
    return server
        .requestHandler(router)
        .listen()
        .onSuccess(s -> LOG.info("HTTP listening on port {}", s.actualPort()));
  }

  /** The bound port (useful with {@code gatewayPort=0}), or -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void metrics(RoutingContext rc) {
    // Gauges read the broker's tables: off the event loop.
    vertx
        .executeBlocking(metrics::scrape, false)
        .onSuccess(text -> rc.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text))
        .onFailure(rc::fail);
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  private static void error(RoutingContext rc, int status, String message) {
    json(rc, status, new JsonObject().put("code", status).put("message", message));
  }
}
