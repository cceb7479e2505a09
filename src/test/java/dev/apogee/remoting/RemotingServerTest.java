package dev.apogee.remoting;

import static dev.apogee.remoting.Frames.dump;
import static dev.apogee.remoting.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class RemotingServerTest {
  private static final int ECHO = RequestCode.GET_ROUTEINFO_BY_TOPIC;
  private static final int FAIL = 900;
  private static final int THROW = 901;
  private static final int BIG = 902;
  private static final byte[] ONE_MIB = new byte[1 << 20];

  private Vertx vertx;
  private RemotingServer server;
  private final List<RawClient> clients = new ArrayList<>();
  private final List<RemotingClient> remotingClients = new ArrayList<>();
  private final ConcurrentLinkedQueue<Connection> accepted = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    server = startServer(RemotingServer.Options.of("127.0.0.1", 0));
  }

  private RemotingServer startServer(RemotingServer.Options options) {
    RemotingServer s =
        new RemotingServer(vertx, options)
            .connectionHandler(accepted::add)
            .registerProcessor(ECHO, RemotingServerTest::echo)
            .registerProcessor(
                BIG,
                (c, r) ->
                    Future.succeededFuture(
                        RemotingCommand.responseTo(r, ResponseCode.SUCCESS, null).setBody(ONE_MIB)))
            .registerProcessor(
                FAIL, (c, r) -> Future.failedFuture(new IllegalStateException("store is full")))
            .registerProcessor(
                THROW,
                (c, r) -> {
                  throw new IllegalArgumentException("header field 'queueId' is not an int: 'x'");
                });
    Await.result(s.start());
    return s;
  }

  /** Answers with the request's topic and body. */
  private static Future<RemotingCommand> echo(Connection c, RemotingCommand request) {
    RemotingCommand response = RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    response.putExt("topic", request.ext("topic"));
    if (request.body() != null) {
      response.setBody(request.body().retain());
    }
    return Future.succeededFuture(response);
  }

  @AfterEach
  void stop() {
    clients.forEach(RawClient::close);
    remotingClients.forEach(c -> Await.result(c.close()));
    Await.result(server.stop());
  }

  private RawClient raw() {
    RawClient c = RawClient.connect(vertx, server.actualPort());
    clients.add(c);
    return c;
  }

  private RemotingClient client() {
    RemotingClient c = new RemotingClient(vertx, RemotingClient.Options.defaults());
    remotingClients.add(c);
    return c;
  }

  private String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  private static RemotingCommand echoRequest(int opaque, SerializeType type) {
    return RemotingCommand.request(ECHO)
        .putExt("topic", "T" + opaque)
        .setOpaque(opaque)
        .setSerializeType(type);
  }

  @Test
  void answersInTheSerializeTypeOfEachRequest() {
    RawClient c = raw();
    for (SerializeType type : SerializeType.values()) {
      RemotingCommand request = echoRequest(type.code() + 10, type).setBody(new byte[] {1, 2, 3});
      RemotingCommand response = c.call(request);
      assertEquals(ResponseCode.SUCCESS, response.code());
      assertEquals(type, response.serializeType());
      assertEquals("T" + (type.code() + 10), response.ext("topic"));
      assertArrayEquals(new byte[] {1, 2, 3}, response.bodyBytes());
    }
  }

  @Test
  void unknownCodeIsAnsweredNotSupportedExceptWhenOneway() {
    RawClient c = raw();
    c.send(RemotingCommand.request(999).setOpaque(1).markOneway());
    RemotingCommand response = c.call(RemotingCommand.request(999).setOpaque(2));
    assertEquals(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, response.code());
    assertEquals(" request type 999 not supported", response.remark());
    assertEquals(0, c.pending(), "the oneway request got no answer");
  }

  @Test
  void aFailingProcessorIsAnsweredSystemErrorAndLoggedOnce() {
    RawClient c = raw();
    try (LogCapture log = new LogCapture(Connection.class)) {
      RemotingCommand failed = c.call(RemotingCommand.request(FAIL).setOpaque(1));
      assertEquals(ResponseCode.SYSTEM_ERROR, failed.code());
      assertEquals("store is full", failed.remark());
      RemotingCommand thrown = c.call(RemotingCommand.request(THROW).setOpaque(2));
      assertEquals(ResponseCode.SYSTEM_ERROR, thrown.code());
      assertEquals("header field 'queueId' is not an int: 'x'", thrown.remark());
      assertEquals(1, log.lines(Level.ERROR, "request code " + FAIL + " opaque 1").size());
      assertEquals(1, log.lines(Level.ERROR, "request code " + THROW + " opaque 2").size());
    }
  }

  static Stream<Arguments> malformedFrames() {
    return Stream.of(
        Arguments.of("frame length 16777217 exceeds the limit 16777216", dump("01000001 00000010")),
        Arguments.of("frame length 3 is below 4", dump("00000003 00000001")),
        Arguments.of("frame length -1 is below 4", dump("ffffffff")),
        Arguments.of(
            "header length 200 exceeds frame length 20 - 4", dump("00000014 000000c8 0000")),
        Arguments.of("unknown serialize type 7", dump("00000014 07000002")),
        Arguments.of("unreadable JSON header", frame(0, "{\"code\":1,")),
        Arguments.of("ROCKETMQ header", frame(1, dump("0001 00 0000 0000"), null)));
  }

  @ParameterizedTest
  @MethodSource("malformedFrames")
  void aMalformedFrameClosesOnlyItsConnectionWithOneLogLine(String reason, byte[] bytes) {
    RawClient good = raw();
    RawClient bad = raw();
    assertEquals(ResponseCode.SUCCESS, good.call(echoRequest(1, SerializeType.JSON)).code());
    try (LogCapture log = new LogCapture(Connection.class)) {
      bad.send(bytes);
      bad.awaitClosed();
      String local = "127.0.0.1:" + bad.socket.localAddress().port();
      Await.until("the log line", () -> !log.lines(Level.WARN, local).isEmpty());
      List<String> lines = log.lines(Level.WARN, local);
      assertEquals(1, lines.size(), lines::toString);
      assertTrue(lines.get(0).contains(reason), lines.get(0));
      assertTrue(log.lines(Level.ERROR, "").isEmpty());
    }
    assertEquals(ResponseCode.SUCCESS, good.call(echoRequest(2, SerializeType.ROCKETMQ)).code());
    assertFalse(good.isClosed());
  }

  @Test
  void invokesTheClientOnItsConnectionAndMatchesResponsesByOpaque() {
    RemotingClient client = client();
    client.registerProcessor(
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        (c, r) ->
            Future.succeededFuture(
                RemotingCommand.responseTo(r, ResponseCode.SUCCESS, "for " + r.ext("clientId"))));
    AtomicInteger onewaySeen = new AtomicInteger();
    client.registerProcessor(
        RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
        (c, r) -> {
          onewaySeen.incrementAndGet();
          // Must not be written back: the request is oneway.
          return Future.succeededFuture(RemotingCommand.responseTo(r, 0, null));
        });
    Await.result(client.invoke(address(), echoRequest(1, SerializeType.JSON), 5000));
    Connection connection = accepted.peek();

    try (LogCapture log = new LogCapture(Connection.class)) {
      Await.result(
          server.invokeOneway(
              connection, RemotingCommand.request(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED)));
      List<Future<RemotingCommand>> answers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        RemotingCommand request =
            RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO)
                .putExt("clientId", "c" + i);
        answers.add(server.invoke(connection, request, 5000));
      }
      for (int i = 0; i < 5; i++) {
        RemotingCommand response = Await.result(answers.get(i));
        assertTrue(response.isResponse());
        assertEquals("for c" + i, response.remark());
      }
      assertEquals(1, onewaySeen.get());
      assertTrue(log.lines(Level.WARN, "dropping response").isEmpty());
    }
  }

  @Test
  void serverInvocationTimesOutWhenTheClientDoesNotAnswer() {
    RemotingClient client = client();
    client.registerProcessor(
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        (c, r) -> Promise.<RemotingCommand>promise().future());
    Await.result(client.invoke(address(), echoRequest(1, SerializeType.JSON), 5000));
    Connection connection = accepted.peek();
    Throwable e =
        Await.failure(
            server.invoke(
                connection, RemotingCommand.request(RequestCode.CONSUME_MESSAGE_DIRECTLY), 50));
    assertInstanceOf(RemotingTimeoutException.class, e);
    assertTrue(e.getMessage().contains("within 50 ms"), e.getMessage());
  }

  @Test
  void invocationsAwaitingAnAnswerFailWhenTheConnectionCloses() {
    RemotingClient client = client();
    CompletableFuture<Void> received = new CompletableFuture<>();
    client.registerProcessor(
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        (c, r) -> {
          received.complete(null);
          return Promise.<RemotingCommand>promise().future();
        });
    Await.result(client.invoke(address(), echoRequest(1, SerializeType.JSON), 5000));
    Connection connection = accepted.peek();
    Future<RemotingCommand> pending =
        server.invoke(
            connection, RemotingCommand.request(RequestCode.CONSUME_MESSAGE_DIRECTLY), 60_000);
    received.join();
    Await.result(client.close());
    Throwable e = Await.failure(pending);
    assertEquals(RemotingException.class, e.getClass());
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void anUnmatchedResponseIsLoggedAndDropped() {
    RawClient c = raw();
    try (LogCapture log = new LogCapture(Connection.class)) {
      c.send(RemotingCommand.request(0).setOpaque(777).markResponse());
      assertEquals(ResponseCode.SUCCESS, c.call(echoRequest(1, SerializeType.JSON)).code());
      Await.until("the log line", () -> !log.lines(Level.WARN, "opaque 777").isEmpty());
    }
    assertFalse(c.isClosed());
  }

  @Test
  void closesAConnectionIdleForTheConfiguredTime() {
    RemotingServer idle =
        startServer(
            RemotingServer.Options.of("127.0.0.1", 0).withIdleTimeout(Duration.ofMillis(200)));
    try {
      RawClient c = RawClient.connect(vertx, idle.actualPort());
      clients.add(c);
      c.call(echoRequest(1, SerializeType.JSON));
      c.awaitClosed();
    } finally {
      Await.result(idle.stop());
    }
  }

  @Test
  void pausesReadingWhileTheClientDoesNotTakeResponses() {
    RawClient c = raw();
    c.socket.pause();
    int requests = 48;
    for (int i = 0; i < requests; i++) {
      c.send(RemotingCommand.request(BIG).setOpaque(i));
    }
    Connection connection = accepted.peek();
    Await.until("reading paused", connection::readPausedForWrites);
    c.socket.resume();
    for (int i = 0; i < requests; i++) {
      RemotingCommand response = c.expect();
      assertEquals(i, response.opaque());
      assertEquals(ONE_MIB.length, response.body().readableBytes());
    }
    Await.until("reading resumed", () -> !connection.readPausedForWrites());
  }

  @Test
  void stopAnswersRequestsInFlightThenClosesAndRefusesNewConnections() {
    Promise<RemotingCommand> slow = Promise.promise();
    CompletableFuture<RemotingCommand> started = new CompletableFuture<>();
    server.registerProcessor(
        RequestCode.PULL_MESSAGE,
        (c, r) -> {
          started.complete(r);
          return slow.future();
        });
    RawClient c = raw();
    c.send(RemotingCommand.request(RequestCode.PULL_MESSAGE).setOpaque(5));
    RemotingCommand request = started.join();
    Future<Void> stopped = server.stop();
    // Unbinding completes shortly after stop() returns: poll until connecting is refused.
    NetClient probe = vertx.createNetClient();
    int port = server.actualPort();
    Await.until(
        "connections to be refused",
        () ->
            Await.result(
                probe
                    .connect(port, "127.0.0.1")
                    .compose(
                        socket -> socket.close().map(false), e -> Future.succeededFuture(true))));
    Await.result(probe.close());
    assertFalse(stopped.isComplete());
    assertFalse(c.isClosed());

    slow.complete(RemotingCommand.responseTo(request, ResponseCode.PULL_NOT_FOUND, null));
    RemotingCommand response = c.expect();
    assertEquals(5, response.opaque());
    assertEquals(ResponseCode.PULL_NOT_FOUND, response.code());
    c.awaitClosed();
    Await.result(stopped);
    assertTrue(server.stop().succeeded(), "stop is idempotent");
  }
}
