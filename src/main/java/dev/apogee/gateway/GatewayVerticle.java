package dev.apogee.gateway;

import dev.apogee.config.GatewayConfig;
import dev.apogee.metrics.BrokerMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server: {@code GET /health} (the process is up), {@code GET /ready} (store
 * recovered and broker registered: 200, else 503), {@code GET /metrics} (Prometheus text) and,
 * given name servers, the REST resources under {@code /v1} ({@link RestApi}). Unknown paths answer
 * 404 and other methods 405, as JSON {@code {code, message}}.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final String OPENAPI_RESOURCE = "META-INF/apogee/openapi.json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final GatewayConfig config;
  private final BrokerMetrics metrics;
  private final BooleanSupplier ready;
  private final Supplier<String> nameServers;
  private final int maxMessageSize;
  private final Buffer openApi;
  private HttpServer server;
  private RestApi rest;
  private Router router;

  /** Health, readiness and metrics only. */
  public GatewayVerticle(GatewayConfig config, BrokerMetrics metrics, BooleanSupplier ready) {
    this(config, metrics, ready, null, 0);
  }

  /**
   * With the REST resources, which reach the cluster through {@code nameServers} (asked on first
   * use) and take bodies up to {@code maxMessageSize} bytes.
   */
  public GatewayVerticle(
      GatewayConfig config,
      BrokerMetrics metrics,
      BooleanSupplier ready,
      Supplier<String> nameServers,
      int maxMessageSize) {
    this.config = config;
    this.metrics = metrics;
    this.ready = ready;
    this.nameServers = nameServers;
    this.maxMessageSize = maxMessageSize;
    this.openApi = nameServers == null ? null : openApiDocument();
  }

  /** The OpenAPI document of the resources, read once from the jar. */
  static Buffer openApiDocument() {
    try (InputStream in =
        GatewayVerticle.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + OPENAPI_RESOURCE, e);
    }
  }

  /** Every route as {@code METHOD path} (Vert.x path syntax), for checking the OpenAPI document. */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() == null) {
        continue;
      }
      Set<HttpMethod> methods = r.methods();
      if (methods == null || methods.isEmpty()) {
        out.add("ANY " + r.getPath());
      } else {
        methods.forEach(m -> out.add(m.name() + " " + r.getPath()));
      }
    }
    return out;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    router.get("/health").handler(rc -> Http.json(rc, 200, new JsonObject().put("status", "UP")));
    router
        .get("/ready")
        .handler(
            rc ->
                Http.json(
                    rc,
                    ready.getAsBoolean() ? 200 : 503,
                    new JsonObject().put("status", ready.getAsBoolean() ? "READY" : "STARTING")));
    router.get("/metrics").handler(this::metrics);
    if (nameServers != null) {
      rest = new RestApi(vertx, nameServers, maxMessageSize);
      rest.mount(router);
      router
          .get("/openapi.json")
          .handler(rc -> rc.response().putHeader("Content-Type", "application/json").end(openApi));
    }
    router.errorHandler(404, rc -> Http.error(rc, 404, "no such resource: " + rc.request().path()));
    router.errorHandler(
        413, rc -> Http.error(rc, 413, "the request body is over the limit of this resource"));
    router.errorHandler(400, rc -> Http.error(rc, 400, "bad request"));
    router.errorHandler(
        405, rc -> Http.error(rc, 405, rc.request().method() + " is not allowed on this resource"));
    router.errorHandler(
        500,
        rc -> {
          LOG.error("HTTP {} {} failed", rc.request().method(), rc.request().path(), rc.failure());
          Http.error(rc, 500, "internal error");
        });
    server = vertx.createHttpServer(new HttpServerOptions().setPort(config.gatewayPort()));
    return server
        .requestHandler(router)
        .listen()
        .onSuccess(s -> LOG.info("HTTP listening on port {}", s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return rest == null ? Future.succeededFuture() : rest.close();
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
}
