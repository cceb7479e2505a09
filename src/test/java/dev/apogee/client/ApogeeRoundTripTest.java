package dev.apogee.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The round trips against an in-process Apogee. */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApogeeRoundTripTest extends RoundTripContract {
  @TempDir static Path dir;
  private ApogeeServer apogee;

  @BeforeAll
  void startApogee() throws Exception {
    apogee = ApogeeServer.standalone(dir);
  }

  @AfterAll
  void stopApogee() throws Exception {
    apogee.close();
  }

  @Override
  String namesrvAddr() {
    return apogee.namesrvAddr();
  }

  @Test
  void futuresCompleteOnTheCallersContextAndTheHandlerRunsOnTheConsumersContext() {
    String topic = unique("Contexts");
    VertxInternal vx = (VertxInternal) vertx;
    Context producerContext = vx.createEventLoopContext();
    Context callerContext = vx.createEventLoopContext();
    Context consumerContext = vx.createEventLoopContext();
    Producer producer = on(producerContext, this::producer);
    Await.result(producer.send(new Message(topic, "create")));
    awaitRoute(topic);

    CompletableFuture<Boolean> handlerOnItsContext = new CompletableFuture<>();
    PushConsumer consumer =
        on(
            consumerContext,
            () ->
                PushConsumer.create(vertx, pushOptions(unique("cg")))
                    .subscribe(topic, "*")
                    .handler(
                        m -> {
                          handlerOnItsContext.complete(Vertx.currentContext() == consumerContext);
                          return Future.succeededFuture();
                        }));
    try {
      CompletableFuture<Boolean> startedOnCaller = new CompletableFuture<>();
      CompletableFuture<Boolean> sentOnCaller = new CompletableFuture<>();
      callerContext.runOnContext(
          v ->
              consumer
                  .start()
                  .onComplete(
                      ar -> {
                        startedOnCaller.complete(
                            ar.succeeded() && Vertx.currentContext() == callerContext);
                        producer
                            .send(new Message(topic, "where"))
                            .onComplete(
                                sent ->
                                    sentOnCaller.complete(
                                        sent.succeeded()
                                            && Vertx.currentContext() == callerContext));
                      }));
      assertTrue(startedOnCaller.get(30, TimeUnit.SECONDS), "start completed elsewhere");
      assertTrue(sentOnCaller.get(30, TimeUnit.SECONDS), "send completed elsewhere");
      assertTrue(handlerOnItsContext.get(30, TimeUnit.SECONDS), "handler ran elsewhere");
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      Await.result(consumer.close());
    }
  }

  /** {@code make}'s value, made on {@code context}. */
  private static <T> T on(Context context, Supplier<T> make) {
    CompletableFuture<T> made = new CompletableFuture<>();
    context.runOnContext(v -> made.complete(make.get()));
    return made.join();
  }

  @Test
  void timedMessagesAreRefusedByApogeeWithItsReasonAndDelayLevelsAccepted() {
    String topic = unique("Delayed");
    Producer producer = producer();
    Await.result(producer.send(new Message(topic, "plain")));
    Await.result(producer.send(new Message(topic, "later").setDelayLevel(1)));
    Throwable timed =
        Await.failure(
            producer.send(
                new Message(topic, "at").setDeliverTime(System.currentTimeMillis() + 60_000)));
    assertTrue(timed instanceof BrokerException, timed.toString());
    assertEquals(16, ((BrokerException) timed).code());
    assertTrue(((BrokerException) timed).remark().contains("not supported"), timed.toString());
  }
}
