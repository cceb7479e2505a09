package dev.apogee.remoting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.netty.NettyRequestProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** RocketMQ 5.5.0's own {@code NettyRemotingClient} against our server, over a real socket. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class RocketMqClientInteropTest {
  private RemotingServer server;
  private NettyRemotingClient rocketMq;
  private ExecutorService executor;
  private final ConcurrentLinkedQueue<Connection> accepted = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start(Vertx vertx) {
    server =
        new RemotingServer(vertx, RemotingServer.Options.of("127.0.0.1", 0))
            .connectionHandler(accepted::add)
            .registerProcessor(
                RequestCode.GET_ROUTEINFO_BY_TOPIC,
                (c, r) -> {
                  RemotingCommand response =
                      RemotingCommand.responseTo(
                          r, ResponseCode.TOPIC_NOT_EXIST, "no " + r.ext("topic"));
                  response.putExt("seen", r.serializeType().name());
                  response.setBody(r.bodyBytes());
                  return Future.succeededFuture(response);
                });
    Await.result(server.start());
    rocketMq = new NettyRemotingClient(new NettyClientConfig());
    rocketMq.start();
    executor = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void stop() {
    rocketMq.shutdown();
    executor.shutdownNow();
    Await.result(server.stop());
  }

  private String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  @Test
  void rocketMqClientGetsAnswersInBothSerializeTypes() throws Exception {
    for (var type : org.apache.rocketmq.remoting.protocol.SerializeType.values()) {
      var request =
          org.apache.rocketmq.remoting.protocol.RemotingCommand.createRequestCommand(105, null);
      request.setSerializeTypeCurrentRPC(type);
      request.addExtField("topic", "T1");
      request.setBody(new byte[] {9, 8, 7});
      var response = rocketMq.invokeSync(address(), request, 5000);
      assertEquals(ResponseCode.TOPIC_NOT_EXIST, response.getCode());
      assertEquals("no T1", response.getRemark());
      assertEquals(type.name(), response.getExtFields().get("seen"));
      assertEquals(type, response.getSerializeTypeCurrentRPC());
      assertArrayEquals(new byte[] {9, 8, 7}, response.getBody());
    }
  }

  @Test
  void rocketMqClientGetsNotSupportedForAnUnknownCode() throws Exception {
    var oneway =
        org.apache.rocketmq.remoting.protocol.RemotingCommand.createRequestCommand(4242, null);
    rocketMq.invokeOneway(address(), oneway, 5000);
    var request =
        org.apache.rocketmq.remoting.protocol.RemotingCommand.createRequestCommand(4242, null);
    var response = rocketMq.invokeSync(address(), request, 5000);
    assertEquals(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, response.getCode());
    assertEquals(" request type 4242 not supported", response.getRemark());
  }

  @Test
  void serverInvokesTheRocketMqClientOnItsConnection() throws Exception {
    rocketMq.registerProcessor(
        RequestCode.GET_CONSUMER_RUNNING_INFO,
        new NettyRequestProcessor() {
          @Override
          public org.apache.rocketmq.remoting.protocol.RemotingCommand processRequest(
              ChannelHandlerContext ctx,
              org.apache.rocketmq.remoting.protocol.RemotingCommand request) {
            var response =
                org.apache.rocketmq.remoting.protocol.RemotingCommand.createResponseCommand(
                    ResponseCode.SUCCESS, "running " + request.getExtFields().get("clientId"));
            response.setBody(new byte[] {1});
            return response;
          }

          @Override
          public boolean rejectRequest() {
            return false;
          }
        },
        executor);
    var hello =
        org.apache.rocketmq.remoting.protocol.RemotingCommand.createRequestCommand(105, null);
    hello.addExtField("topic", "T");
    rocketMq.invokeSync(address(), hello, 5000);
    Connection connection = accepted.peek();

    RemotingCommand response =
        Await.result(
            server.invoke(
                connection,
                RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO)
                    .putExt("clientId", "c1"),
                5000));
    assertTrue(response.isResponse());
    assertEquals("running c1", response.remark());
    assertArrayEquals(new byte[] {1}, response.bodyBytes());
    response.release();
  }
}
