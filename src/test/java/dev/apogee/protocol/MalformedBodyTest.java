package dev.apogee.protocol;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies that cannot be read are a {@link BodyFormatException} whose message names the body type,
 * the problem and where it is; never another exception.
 */
class MalformedBodyTest {

  /** A body, its reader, and what the message must say. */
  record Case(String body, JsonReader<?> reader, List<String> says) {
    @Override
    public String toString() {
      return "<" + body + ">";
    }
  }

  private static Arguments strict(String body, JsonReader<?> reader, String... says) {
    return Arguments.of(new Case(body, reader, List.of(says)));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        // wrong types
        strict(
            "{\"topicName\":5}",
            TopicConfig::readJson,
            "cannot read TopicConfig body",
            "expected a string, found an integer at /topicName"),
        strict(
            "{\"topicName\":\"T\",\"perm\":\"6\"}",
            TopicConfig::readJson,
            "expected an integer, found a string at /perm"),
        strict(
            "{\"topicName\":\"T\",\"perm\":6.5}",
            TopicConfig::readJson,
            "expected an integer, found a decimal number at /perm"),
        strict(
            "{\"topicName\":\"T\",\"order\":1}",
            TopicConfig::readJson,
            "expected true or false, found an integer at /order"),
        strict(
            "{\"topicName\":\"T\",\"attributes\":[]}",
            TopicConfig::readJson,
            "expected an object, found an array at /attributes"),
        strict(
            "{\"topicName\":\"T\",\"attributes\":{\"k\":{}}}",
            TopicConfig::readJson,
            "expected a string, found an object"),
        strict(
            "{\"topicConfigSerializeWrapper\":[]}",
            RegisterBrokerBody::readJson,
            "expected an object (TopicConfigSerializeWrapper), found an array",
            "/topicConfigSerializeWrapper"),
        strict(
            "{\"consumeTps\":\"fast\"}",
            ConsumeStats::readJson,
            "expected a number, found a string at /consumeTps"),
        strict("[]", KvTable::readJson, "expected an object (KvTable), found an array"),
        strict("\"x\"", KvTable::readJson, "found a string at the top level"),
        // values out of range
        strict(
            "{\"topicName\":\"T\",\"perm\":3000000000}",
            TopicConfig::readJson,
            "3000000000 is out of the range of an int at /perm"),
        strict(
            "{\"counter\":99999999999999999999}",
            DataVersion::readJson,
            "is out of the range of a long at /counter"),
        strict(
            "{\"topicName\":\"T\",\"topicFilterType\":\"NONE\"}",
            TopicConfig::readJson,
            "unknown name NONE, expected one of [SINGLE_TAG, MULTI_TAG] at /topicFilterType"),
        strict("{\"topicName\":\"\"}", TopicConfig::readJson, "topicName must not be empty"),
        // nulls where a value must be
        strict(
            "{\"topicList\":[\"a\",null]}",
            TopicList::readJson,
            "null item in an array at /topicList"),
        strict("{\"table\":{\"a\":null}}", KvTable::readJson, "null value in a map at /table/a"),
        strict("null", KvTable::readJson, "found null at the top level"),
        // keys that are not what the map is keyed by
        strict(
            "{\"brokerAddrs\":{\"master\":\"a:1\"}}",
            BrokerData::readJson,
            "map key master is not valid",
            "/brokerAddrs"),
        strict(
            "{\"offsetTable\":{\"not a queue\":3}}",
            ResetOffsetBody::readJson,
            "map key not a queue is not valid",
            "Unrecognized token"),
        strict(
            "{\"offsetTable\":{\"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":0}\":3}}",
            ResetOffsetBody::readJson,
            "missing field topic of MessageQueueKey"),
        // missing required fields
        strict("{\"perm\":6}", TopicConfig::readJson, "missing field topicName of TopicConfig"),
        strict(
            "{}",
            RegisterBrokerBody::readJson,
            "missing field topicConfigSerializeWrapper of RegisterBrokerBody at the top level"),
        strict(
            "{\"topicConfigSerializeWrapper\":{\"topicConfigTable\":{}}}",
            RegisterBrokerBody::readJson,
            "missing field dataVersion of TopicConfigSerializeWrapper at /topicConfigSerializeWrapper"),
        strict(
            "{\"topicName\":null}",
            TopicConfig::readJson,
            "missing field topicName of TopicConfig"),
        // not JSON, cut short, or followed by more
        strict("", KvTable::readJson, "the body is empty"),
        strict("   ", KvTable::readJson, "the body is empty"),
        strict("table", KvTable::readJson, "Unrecognized token 'table'"),
        strict("{\"table\":{\"a\":\"b\"}", KvTable::readJson, "end-of-input"),
        strict("{\"table\":{\"a\":\"b", KvTable::readJson, "end-of-input"),
        strict(
            "{\"table\":{}} {}",
            KvTable::readJson,
            "more JSON after the end of the body: an object at the top level (offset 13)"),
        strict("{\"table\":{}}]", KvTable::readJson, "Unexpected close marker ']'"),
        strict("{\"table\":{}}x", KvTable::readJson, "Unrecognized token 'x'"),
        strict("{\"table\":{0:\"x\"}}", KvTable::readJson, "double-quote to start field name"),
        strict("{'table':{}}", KvTable::readJson, "double-quote to start field name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void namesTheProblemAndWhereItIs(Case c) {
    BodyFormatException e =
        assertThrows(BodyFormatException.class, () -> ProtocolJson.read(c.body(), c.reader()));

    assertTrue(e.getMessage().startsWith("cannot read "), e.getMessage());
    for (String part : c.says()) {
      assertTrue(e.getMessage().contains(part), () -> e.getMessage() + " should say " + part);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void bytesAndTheTolerantReaderRefuseTheSameBodies(Case c) {
    byte[] bytes = c.body().getBytes(StandardCharsets.UTF_8);

    assertThrows(BodyFormatException.class, () -> ProtocolJson.read(bytes, c.reader()));
    if (!c.body().contains("{0:")) {
      assertThrows(BodyFormatException.class, () -> ProtocolJson.readTolerant(bytes, c.reader()));
    }
  }

  @Test
  void aMissingBodyIsRefused() {
    assertThrows(
        BodyFormatException.class, () -> ProtocolJson.read((byte[]) null, KvTable::readJson));
    assertThrows(
        BodyFormatException.class, () -> ProtocolJson.read((String) null, KvTable::readJson));
    assertThrows(
        BodyFormatException.class,
        () -> ProtocolJson.readTolerant((byte[]) null, KvTable::readJson));
  }

  @Test
  void tolerantReaderRefusesARawKeyThatIsNotAQueue() {
    BodyFormatException e =
        assertThrows(
            BodyFormatException.class,
            () ->
                ProtocolJson.readTolerant(
                    "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":\"zero\",\"topic\":\"T\"}:3}}",
                    ResetOffsetBody::readJson));

    assertTrue(e.getMessage().contains("expected an integer, found a string"), e.getMessage());
  }

  private static final List<String> SEEDS =
      List.of(
          "{\"brokerDatas\":[{\"brokerAddrs\":{0:\"127.0.0.1:10911\"},\"brokerName\":\"broker-a\","
              + "\"cluster\":\"C\",\"enableActingMaster\":false}],\"filterServerTable\":{},"
              + "\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,\"readQueueNums\":4,"
              + "\"topicSysFlag\":0,\"writeQueueNums\":4}]}",
          "{\"consumeTps\":1.5,\"offsetTable\":{{\"brokerName\":\"broker-a\",\"queueId\":0,"
              + "\"topic\":\"T1\"}:{\"brokerOffset\":10,\"consumerOffset\":5,"
              + "\"lastTimestamp\":1700000000000,\"pullOffset\":0}}}",
          "{\"filterServerList\":[],\"topicConfigSerializeWrapper\":{\"dataVersion\":{\"counter\":1,"
              + "\"stateVersion\":0,\"timestamp\":2},\"topicConfigTable\":{\"T1\":{\"attributes\":"
              + "{\"a\":\"b\"},\"order\":false,\"perm\":6,\"readQueueNums\":4,\"topicFilterType\":"
              + "\"SINGLE_TAG\",\"topicName\":\"T1\",\"topicSysFlag\":0,\"writeQueueNums\":4}}}}");

  private static final List<JsonReader<?>> READERS =
      List.of(TopicRouteData::readJson, ConsumeStats::readJson, RegisterBrokerBody::readJson);

  private static final String NOISE = "{}[]\":,0-9.eE aZ\\nul";

  /**
   * Seeded random damage to real bodies (characters dropped, doubled, replaced, the body cut): each
   * damaged body is read or refused with a {@link BodyFormatException}, nothing else.
   */
  @Test
  void damagedBodiesAreReadOrRefusedButNeverCrashTheReader() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int i = 0; i < 4_000; i++) {
      int which = random.nextInt(SEEDS.size());
      String body = damage(SEEDS.get(which), random);
      for (boolean tolerant : new boolean[] {false, true}) {
        try {
          if (tolerant) {
            ProtocolJson.readTolerant(body, READERS.get(which));
          } else {
            ProtocolJson.read(body, READERS.get(which));
          }
        } catch (BodyFormatException expected) {
          // refused: fine
        } catch (RuntimeException e) {
          fail("seed " + seed + ", body " + body + ": " + e, e);
        }
      }
    }
  }

  private static String damage(String body, Random random) {
    StringBuilder b = new StringBuilder(body);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(4)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, b.charAt(at));
        case 2 -> b.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
        default -> b.setLength(at);
      }
    }
    return b.toString();
  }
}
