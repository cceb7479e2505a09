package dev.apogee.broker.schedule;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Runs the {@link ScheduleMessageService} on a worker context of its own (deployed with one
 * instance and a one-thread pool), so reading scheduled units and records from mapped files never
 * runs on an event loop and delivery of one level never waits on another's I/O.
 */
public final class ScheduleMessageVerticle extends VerticleBase {
  private final ScheduleMessageService service;

  public ScheduleMessageVerticle(ScheduleMessageService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    service.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return service.stop();
  }
}
