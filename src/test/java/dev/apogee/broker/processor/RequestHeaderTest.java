package dev.apogee.broker.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeaderTest {
  @Test
  void readsTheSingleLetterV2SendHeaderIgnoringExtraKeys() {
    Map<String, String> ext = new HashMap<>();
    ext.put("a", "pg");
    ext.put("b", "T1");
    ext.put("c", "TBW102");
    ext.put("d", "4");
    ext.put("e", "3");
    ext.put("f", "0");
    ext.put("g", "1700000000000");
    ext.put("h", "0");
    ext.put("i", "TAGS\u0001A\u0002");
    ext.put("j", "0");
    ext.put("k", "false");
    ext.put("m", "false");
    ext.put("n", "broker-a");
    ext.put("bname", "broker-a");
    SendMessageRequestHeader h = SendMessageRequestHeader.from(ext, true);
    assertEquals("pg", h.producerGroup());
    assertEquals("T1", h.topic());
    assertEquals(3, h.queueId());
    assertEquals(1_700_000_000_000L, h.bornTimestamp());
    assertEquals("TAGS\u0001A\u0002", h.properties());
    assertEquals(0, h.reconsumeTimes());
    assertNull(h.maxReconsumeTimes());
    assertFalse(h.batch());
  }

  @Test
  void readsTheLongNameSendHeader() {
    Map<String, String> ext =
        Map.of("producerGroup", "pg", "topic", "T", "queueId", "1", "batch", "true");
    SendMessageRequestHeader h = SendMessageRequestHeader.from(ext, false);
    assertEquals(1, h.queueId());
    assertTrue(h.batch());
    assertEquals(4, h.defaultTopicQueueNums());
  }

  @Test
  void namesTheFieldThatIsMissingOrMalformed() {
    RequestException missing =
        assertThrows(
            RequestException.class, () -> SendMessageRequestHeader.from(Map.of("a", "pg"), true));
    assertEquals(29, missing.code());
    assertTrue(missing.remark().contains(" b"), missing.remark());
    RequestException bad =
        assertThrows(
            RequestException.class,
            () ->
                PullMessageRequestHeader.from(
                    Map.of(
                        "consumerGroup",
                        "g",
                        "topic",
                        "T",
                        "queueId",
                        "x",
                        "queueOffset",
                        "0",
                        "maxMsgNums",
                        "32")));
    assertTrue(bad.remark().contains("queueId"), bad.remark());
  }

  @Test
  void readsPullFlags() {
    PullMessageRequestHeader h =
        PullMessageRequestHeader.from(
            Map.of(
                "consumerGroup",
                "g",
                "topic",
                "T",
                "queueId",
                "0",
                "queueOffset",
                "7",
                "maxMsgNums",
                "32",
                "sysFlag",
                "3",
                "commitOffset",
                "5",
                "suspendTimeoutMillis",
                "15000",
                "subVersion",
                "1"));
    assertTrue(h.commitOffsetFlag());
    assertTrue(h.suspendFlag());
    assertFalse(h.subscriptionFlag());
    assertEquals("TAG", h.expressionType());
    assertEquals(Integer.MAX_VALUE, h.maxMsgBytes());
  }
}
