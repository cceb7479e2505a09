package dev.apogee.remoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class RemotingClientTest {
  private Vertx vertx;
  private RemotingServer server;
  private RemotingClient client;
  private final ConcurrentLinkedQueue<Connection> accepted = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    server =
        new RemotingServer(vertx, RemotingServer.Options.of("127.0.0.1", 0))
            .connectionHandler(accepted::add)
            .registerProcessor(
                RequestCode.GET_ROUTEINFO_BY_TOPIC,
                (c, r) ->
                    Future.succeededFuture(
                        RemotingCommand.responseTo(
                            r, ResponseCode.TOPIC_NOT_EXIST, r.ext("topic"))))
            .registerProcessor(
                RequestCode.PULL_MESSAGE, (c, r) -> Promise.<RemotingCommand>promise().future());
    Await.result(server.start());
    client = new RemotingClient(vertx, RemotingClient.Options.defaults());
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    Await.result(server.stop());
  }

  private String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  private static RemotingCommand route(String topic) {
    return RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).putExt("topic", topic);
  }

  @Test
  void connectsOnFirstUseAndSharesOneConnectionPerAddress() {
    List<Future<RemotingCommand>> answers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add(client.invoke(address(), route("T" + i), 5000));
    }
    for (int i = 0; i < 10; i++) {
      RemotingCommand response = Await.result(answers.get(i));
      assertEquals(ResponseCode.TOPIC_NOT_EXIST, response.code());
      assertEquals("T" + i, response.remark());
    }
    assertEquals(1, accepted.size());
    assertEquals(RemotingCommand.CURRENT_VERSION, accepted.peek().version());
    assertEquals(LanguageCode.JAVA, accepted.peek().language());
  }

  @Test
  void reconnectsOnTheNextUseAfterTheServerClosedTheConnection() {
    Await.result(client.invoke(address(), route("T1"), 5000));
    Connection first = Await.result(client.connection(address()));
    Promise<Void> closed = Promise.promise();
    first.onClose(c -> closed.complete());
    Await.result(accepted.poll().close());
    Await.result(closed.future());

    RemotingCommand response = Await.result(client.invoke(address(), route("T2"), 5000));
    assertEquals("T2", response.remark());
    assertEquals(1, accepted.size(), "a second connection was accepted");
    assertNotSame(first, Await.result(client.connection(address())));
  }

  @Test
  void invocationTimesOutWhenTheServerDoesNotAnswer() {
    Throwable e =
        Await.failure(
            client.invoke(address(), RemotingCommand.request(RequestCode.PULL_MESSAGE), 50));
    assertInstanceOf(RemotingTimeoutException.class, e);
  }

  @Test
  void invocationFailsWhenNothingListens() {
    RemotingServer gone = new RemotingServer(vertx, RemotingServer.Options.of("127.0.0.1", 0));
    Await.result(gone.start());
    int port = gone.actualPort();
    Await.result(gone.stop());
    Throwable e = Await.failure(client.invoke("127.0.0.1:" + port, route("T"), 5000));
    assertInstanceOf(RemotingException.class, e);
    assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getMessage());
    assertInstanceOf(
        IllegalArgumentException.class, Await.failure(client.invoke("nonsense", route("T"), 5000)));
  }

  @Test
  void onewayRequestsGetNoAnswerAndLeaveTheConnectionUsable() {
    Await.result(client.invokeOneway(address(), RemotingCommand.request(999)));
    Await.result(client.invokeOneway(address(), route("T")));
    assertEquals("T9", Await.result(client.invoke(address(), route("T9"), 5000)).remark());
  }

  @Test
  void closesItsConnectionWhenIdle() {
    RemotingClient idle =
        new RemotingClient(
            vertx, RemotingClient.Options.defaults().withIdleTimeout(Duration.ofMillis(200)));
    try {
      Await.result(idle.invoke(address(), route("T"), 5000));
      Connection c = Await.result(idle.connection(address()));
      Await.until("idle close", () -> !c.isOpen());
    } finally {
      Await.result(idle.close());
    }
  }

  @Test
  void closingTheClientFailsItsPendingInvocations() {
    Future<RemotingCommand> pending =
        client.invoke(address(), RemotingCommand.request(RequestCode.PULL_MESSAGE), 60_000);
    Await.until(
        "the request to arrive", () -> accepted.peek() != null && accepted.peek().version() > 0);
    Await.result(client.close());
    assertEquals(RemotingException.class, Await.failure(pending).getClass());
    assertInstanceOf(
        RemotingException.class, Await.failure(client.invoke(address(), route("T"), 5000)));
  }
}
