package dev.apogee.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisterBrokerBodyTest {

  /**
   * A REGISTER_BROKER body as a 5.x master {@code broker-a} of {@code DefaultCluster} sends it
   * (rocketmq-protocol.md 2.3): its system topics, a retry topic and one user topic, plus the
   * static-topic mapping fields 5.x adds.
   */
  private static final String OFFICIAL_BODY =
      """
      {"filterServerList":[],"topicConfigSerializeWrapper":{
        "dataVersion":{"counter":12,"stateVersion":0,"timestamp":1700000000000},
        "mappingDataVersion":{"counter":0,"stateVersion":0,"timestamp":1699999990000},
        "topicConfigTable":{
          "%RETRY%cg1":{"attributes":{},"order":false,"perm":6,"readQueueNums":1,
            "topicFilterType":"SINGLE_TAG","topicName":"%RETRY%cg1","topicSysFlag":0,"writeQueueNums":1},
          "DefaultCluster":{"attributes":{},"order":false,"perm":7,"readQueueNums":16,
            "topicFilterType":"SINGLE_TAG","topicName":"DefaultCluster","topicSysFlag":0,"writeQueueNums":16},
          "OFFSET_MOVED_EVENT":{"attributes":{},"order":false,"perm":6,"readQueueNums":1,
            "topicFilterType":"SINGLE_TAG","topicName":"OFFSET_MOVED_EVENT","topicSysFlag":0,"writeQueueNums":1},
          "SCHEDULE_TOPIC_XXXX":{"attributes":{},"order":false,"perm":6,"readQueueNums":18,
            "topicFilterType":"SINGLE_TAG","topicName":"SCHEDULE_TOPIC_XXXX","topicSysFlag":0,"writeQueueNums":18},
          "SELF_TEST_TOPIC":{"attributes":{},"order":false,"perm":6,"readQueueNums":1,
            "topicFilterType":"SINGLE_TAG","topicName":"SELF_TEST_TOPIC","topicSysFlag":0,"writeQueueNums":1},
          "T1":{"attributes":{"+message.type":"NORMAL"},"order":false,"perm":6,"readQueueNums":4,
            "topicFilterType":"SINGLE_TAG","topicName":"T1","topicSysFlag":0,"writeQueueNums":4},
          "TBW102":{"attributes":{},"order":false,"perm":7,"readQueueNums":8,
            "topicFilterType":"SINGLE_TAG","topicName":"TBW102","topicSysFlag":0,"writeQueueNums":8},
          "broker-a":{"attributes":{},"order":false,"perm":7,"readQueueNums":1,
            "topicFilterType":"SINGLE_TAG","topicName":"broker-a","topicSysFlag":0,"writeQueueNums":1}
        },
        "topicQueueMappingDetailMap":{},
        "topicQueueMappingInfoMap":{}
      }}
      """;

  @Test
  void readsAnOfficialBrokersBodyAndIgnoresTheStaticTopicMappingFields() {
    RegisterBrokerBody body = ProtocolJson.read(OFFICIAL_BODY, RegisterBrokerBody::readJson);

    TopicConfigSerializeWrapper wrapper = body.topicConfigSerializeWrapper();
    assertEquals(new DataVersion(1_700_000_000_000L, 12, 0), wrapper.dataVersion());
    assertEquals(List.of(), body.filterServerList());
    assertEquals(
        List.of(
            "%RETRY%cg1",
            "DefaultCluster",
            "OFFSET_MOVED_EVENT",
            "SCHEDULE_TOPIC_XXXX",
            "SELF_TEST_TOPIC",
            "T1",
            "TBW102",
            "broker-a"),
        List.copyOf(wrapper.topicConfigTable().keySet()));
    assertEquals(
        TopicConfig.of("TBW102", 8, 8, Perm.INHERIT | Perm.READ | Perm.WRITE),
        wrapper.topicConfigTable().get("TBW102"));
    assertEquals(
        new TopicConfig(
            "T1", 4, 4, 6, TopicFilterType.SINGLE_TAG, 0, false, Map.of("+message.type", "NORMAL")),
        wrapper.topicConfigTable().get("T1"));
    assertEquals(18, wrapper.topicConfigTable().get("SCHEDULE_TOPIC_XXXX").readQueueNums());
  }

  @Test
  void writtenBodyReadsBackEqual() {
    RegisterBrokerBody body =
        new RegisterBrokerBody(
            new TopicConfigSerializeWrapper(
                Map.of("T1", TopicConfig.of("T1", 4, 4, 6)), new DataVersion(1, 2, 0)),
            List.of());

    assertEquals(body, ProtocolJson.read(ProtocolJson.write(body), RegisterBrokerBody::readJson));
  }

  @Test
  void bodyWithoutDataVersionIsRejected() {
    assertThrows(
        BodyFormatException.class,
        () ->
            ProtocolJson.read(
                "{\"topicConfigSerializeWrapper\":{\"topicConfigTable\":{}}}",
                RegisterBrokerBody::readJson));
  }
}
