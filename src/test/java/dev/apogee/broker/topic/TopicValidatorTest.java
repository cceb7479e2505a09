package dev.apogee.broker.topic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicValidatorTest {
  @Test
  void acceptsRocketMqsCharactersAndLengths() {
    assertNull(TopicValidator.checkTopic("Order_Topic-1|a%b"));
    assertNull(TopicValidator.checkTopic("T".repeat(127)));
    assertNull(TopicValidator.checkTopic("%RETRY%" + "g".repeat(248)));
    assertNull(TopicValidator.checkGroup("g".repeat(120)));
  }

  @Test
  void refusesBadNamesSayingWhy() {
    assertTrue(TopicValidator.checkTopic("").contains("blank"));
    assertTrue(TopicValidator.checkTopic("a b").contains("' ' at 1"));
    assertTrue(TopicValidator.checkTopic("tópico").contains("'ó' at 1"));
    assertTrue(TopicValidator.checkTopic("T".repeat(128)).contains("at most 127"));
    assertTrue(TopicValidator.checkTopic("%DLQ%" + "g".repeat(251)).contains("at most 255"));
    assertNotNull(TopicValidator.checkGroup("g".repeat(121)));
    assertNotNull(TopicValidator.checkGroup("g/1"));
  }

  @Test
  void knowsSystemTopics() {
    assertTrue(TopicValidator.isNotAllowedSend("SCHEDULE_TOPIC_XXXX"));
    assertTrue(TopicValidator.isNotAllowedSend("RMQ_SYS_TRANS_HALF_TOPIC"));
    assertFalse(TopicValidator.isNotAllowedSend("TBW102"));
    assertTrue(TopicValidator.isSystemTopic("TBW102"));
    assertTrue(TopicValidator.isSystemTopic("rmq_sys_anything"));
    assertFalse(TopicValidator.isSystemTopic("Orders"));
  }
}
