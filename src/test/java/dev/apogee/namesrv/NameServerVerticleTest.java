package dev.apogee.namesrv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.protocol.DataVersion;
import dev.apogee.protocol.ProtocolJson;
import dev.apogee.protocol.RegisterBrokerBody;
import dev.apogee.protocol.TopicConfig;
import dev.apogee.protocol.TopicConfigSerializeWrapper;
import dev.apogee.protocol.TopicRouteData;
import dev.apogee.remoting.RemotingClient;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** REGISTER_BROKER bodies as the name server reads them off the wire. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class NameServerVerticleTest {
  private NameServerVerticle namesrv;
  private RemotingClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    namesrv = new NameServerVerticle("127.0.0.1", 0, () -> 1_000L);
    await(vertx.deployVerticle(namesrv));
    client = new RemotingClient(vertx, RemotingClient.Options.defaults());
  }

  @AfterEach
  void stop() throws Exception {
    await(client.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private RemotingCommand call(RemotingCommand req) throws Exception {
    return await(client.invoke("127.0.0.1:" + namesrv.actualPort(), req, 5_000));
  }

  private int register(byte[] body) throws Exception {
    RemotingCommand req =
        RemotingCommand.request(RequestCode.REGISTER_BROKER)
            .putExt("clusterName", "C1")
            .putExt("brokerName", "broker-a")
            .putExt("brokerAddr", "127.0.0.1:10911")
            .putExt("brokerId", 0L);
    if (body != null) {
      req.setBody(body);
    }
    RemotingCommand response = call(req);
    response.release();
    return response.code();
  }

  @Test
  void registersABrokerThatSendsNoBodyWithoutTopics() throws Exception {
    assertEquals(ResponseCode.SUCCESS, register(null));

    assertEquals(Set.of("broker-a"), namesrv.routes().clusterInfo().clusterAddrTable().get("C1"));
  }

  @Test
  void servesTheRouteOfATopicRegisteredInFastjsonsDialect() throws Exception {
    String body =
        "{\"filterServerList\":[],\"topicConfigSerializeWrapper\":{\"dataVersion\":{\"counter\":1,"
            + "\"stateVersion\":0,\"timestamp\":5},\"topicConfigTable\":{\"T1\":{\"perm\":6,"
            + "\"readQueueNums\":2,\"topicName\":\"T1\",\"writeQueueNums\":2},"
            + "\"broker-a\":{\"topicName\":\"broker-a\"}},"
            + "\"topicQueueMappingInfoMap\":{0:{}}}}";
    assertEquals(
        ResponseCode.SUCCESS, register(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    RemotingCommand response =
        call(RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).putExt("topic", "T1"));
    assertEquals(ResponseCode.SUCCESS, response.code(), response.remark());
    TopicRouteData route = ProtocolJson.read(response.bodyBytes(), TopicRouteData::readJson);
    response.release();

    assertEquals(2, route.queueDatas().get(0).writeQueueNums());
    assertEquals("127.0.0.1:10911", route.brokerDatas().get(0).masterAddr().orElseThrow());
  }

  @Test
  void refusesAnUnreadableBodyNamingWhatIsWrong() throws Exception {
    RemotingCommand req =
        RemotingCommand.request(RequestCode.REGISTER_BROKER)
            .putExt("clusterName", "C1")
            .putExt("brokerName", "broker-a")
            .putExt("brokerAddr", "127.0.0.1:10911")
            .putExt("brokerId", 0L)
            .setBody(
                ProtocolJson.write(
                    o -> o.beginObject().field("topicConfigSerializeWrapper", "x").endObject()));

    RemotingCommand response = call(req);
    response.release();

    assertEquals(ResponseCode.SYSTEM_ERROR, response.code());
    assertTrue(
        response.remark().startsWith("cannot read RegisterBrokerBody body: expected an object"),
        response.remark());
    assertEquals(Map.of(), namesrv.routes().clusterInfo().brokerAddrTable());
  }

  @Test
  void registersTheTopicsOfABodyTheBrokerWrites() throws Exception {
    RegisterBrokerBody body =
        new RegisterBrokerBody(
            new TopicConfigSerializeWrapper(
                Map.of("T2", TopicConfig.of("T2", 3, 3, 6), "T3", TopicConfig.of("T3", 1, 1, 6)),
                new DataVersion(5, 1, 0)),
            List.of());

    assertEquals(ResponseCode.SUCCESS, register(ProtocolJson.write(body)));
    assertEquals(
        3, namesrv.routes().route("T2").orElseThrow().queueDatas().get(0).writeQueueNums());
  }

  @Test
  void listsTheTopicsOfACluster() throws Exception {
    RegisterBrokerBody body =
        new RegisterBrokerBody(
            new TopicConfigSerializeWrapper(
                Map.of("T4", TopicConfig.of("T4", 2, 2, 6), "T5", TopicConfig.of("T5", 1, 1, 6)),
                new DataVersion(1, 1, 0)),
            List.of());
    assertEquals(ResponseCode.SUCCESS, register(ProtocolJson.write(body)));

    RemotingCommand ofC1 =
        call(RemotingCommand.request(RequestCode.GET_TOPICS_BY_CLUSTER).putExt("cluster", "C1"));
    assertEquals(ResponseCode.SUCCESS, ofC1.code());
    String c1 = new String(ofC1.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8);
    ofC1.release();
    assertTrue(c1.contains("\"T4\"") && c1.contains("\"T5\""), c1);

    RemotingCommand ofOther =
        call(
            RemotingCommand.request(RequestCode.GET_TOPICS_BY_CLUSTER)
                .putExt("cluster", "NoSuchCluster"));
    assertEquals(ResponseCode.SUCCESS, ofOther.code());
    String other = new String(ofOther.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8);
    ofOther.release();
    assertFalse(other.contains("T4"), other);
  }
}
