package dev.apogee.client.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.client.ClientException;
import dev.apogee.client.ConsumeFromWhere;
import dev.apogee.client.MessageModel;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.ProducerOptions;
import dev.apogee.client.ReceivedMessage;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.common.UtilAll;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.apache.rocketmq.remoting.protocol.header.PullMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.SendMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.SendMessageRequestHeaderV2;
import org.apache.rocketmq.remoting.protocol.heartbeat.ConsumerData;
import org.apache.rocketmq.remoting.protocol.heartbeat.HeartbeatData;
import org.apache.rocketmq.remoting.protocol.heartbeat.SubscriptionData;
import org.junit.jupiter.api.Test;

/**
 * The client's encodings agree with the official RocketMQ 5.5.0 client's own code, run here on the
 * same inputs: queue allocation, properties, batch bodies, zlib bodies, stored records, unique ids
 * and heartbeats.
 */
class OfficialFormatsTest {
  private static final String NON_ASCII = "héllo ✓ 日本語";

  @Test
  void allocationMatchesTheOfficialAveragelyStrategyForEveryGroupSize() {
    AllocateMessageQueueAveragely official = new AllocateMessageQueueAveragely();
    for (int n = 1; n <= 20; n++) {
      List<MessageQueue> queues = new ArrayList<>();
      for (int q = 0; q < n; q++) {
        queues.add(new MessageQueue("T", q < n / 2 ? "broker-a" : "broker-b", q));
      }
      queues.sort(null);
      List<org.apache.rocketmq.common.message.MessageQueue> theirs =
          queues.stream().map(OfficialFormatsTest::theirs).toList();
      for (int c = 1; c <= 10; c++) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < c; i++) {
          members.add("10.0.0." + (i * 7 % 10) + "@" + i);
        }
        members.sort(null);
        for (String member : members) {
          List<MessageQueue> mine = QueueAllocation.averagely(queues, members, member);
          List<org.apache.rocketmq.common.message.MessageQueue> expected =
              official.allocate("g", member, theirs, members);
          assertEquals(
              expected, mine.stream().map(OfficialFormatsTest::theirs).toList(), n + "/" + c);
        }
      }
    }
    assertEquals(
        List.of(),
        QueueAllocation.averagely(List.of(new MessageQueue("T", "b", 0)), List.of("a"), "x"));
  }

  @Test
  void propertiesStringsReadBothWays() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("TAGS", "TagA");
    props.put("KEYS", "k1 k2");
    props.put("color", NON_ASCII);
    String ours = MessageCodec.encodeProperties(props);
    assertEquals(props, MessageDecoder.string2messageProperties(ours));
    assertEquals(
        props, MessageCodec.decodeProperties(MessageDecoder.messageProperties2String(props)));
    assertEquals(
        Map.of("a", "b"),
        MessageCodec.decodeProperties("a\u0001b\u0002x\u0002\u0001y\u0002z\u0001\u0002"));
  }

  @Test
  void batchBodyIsTheOfficialEncoding() throws Exception {
    List<Message> official = new ArrayList<>();
    List<MessageCodec.BatchEntry> entries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Message m =
          new Message("T", "Tag" + i, "key" + i, (NON_ASCII + i).getBytes(StandardCharsets.UTF_8));
      m.setFlag(i);
      m.putUserProperty("n", Integer.toString(i));
      official.add(m);
      // the same properties in the official map's iteration order
      byte[] props =
          MessageDecoder.messageProperties2String(m.getProperties())
              .getBytes(StandardCharsets.UTF_8);
      assertEquals(
          m.getProperties(),
          MessageCodec.decodeProperties(new String(props, StandardCharsets.UTF_8)));
      entries.add(
          new MessageCodec.BatchEntry(
              i,
              m.getBody(),
              MessageCodec.encodeProperties(new LinkedHashMap<>(m.getProperties()))
                  .getBytes(StandardCharsets.UTF_8)));
    }
    assertArrayEquals(MessageDecoder.encodeMessages(official), MessageCodec.encodeBatch(entries));
  }

  @Test
  void zlibBodiesAreReadByTheOfficialClientAndTheOtherWayRound() throws Exception {
    byte[] body = new byte[20_000];
    new Random(7).nextBytes(body);
    for (int i = 0; i < body.length; i += 3) {
      body[i] = 'a';
    }
    byte[] ours = MessageCodec.deflate(body, 5);
    assertArrayEquals(body, UtilAll.uncompress(ours));
    assertArrayEquals(body, MessageCodec.inflate(UtilAll.compress(body, 5)));
    assertArrayEquals(body, MessageCodec.uncompressed(ours, 0x1 | 0x300));
    assertArrayEquals(body, MessageCodec.uncompressed(ours, 0x1));
    ClientException lz4 =
        assertThrows(ClientException.class, () -> MessageCodec.uncompressed(ours, 0x1 | 0x100));
    assertTrue(lz4.getMessage().contains("LZ4"), lz4.getMessage());
    assertThrows(ClientException.class, () -> MessageCodec.inflate(new byte[] {1, 2, 3}));
  }

  @Test
  void storedRecordsDecodeAsTheOfficialClientEncodesThem() throws Exception {
    MessageExt plain = record("T1", 1, 5, 4096, "plain " + NON_ASCII, 0);
    plain.putUserProperty("color", "grün");
    MessageExt compressed = record("%RETRY%cg", 0, 6, 8192, "zipped ".repeat(2000), 0x1 | 0x300);
    MessageAccessor.putProperty(compressed, "RETRY_TOPIC", "T1");
    compressed.setReconsumeTimes(2);
    byte[] a = MessageDecoder.encode(plain, false);
    byte[] b = MessageDecoder.encode(compressed, true);
    byte[] both = ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();

    List<ReceivedMessage> got = StoredMessageDecoder.decode(Unpooled.wrappedBuffer(both), "bk", 0);
    assertEquals(2, got.size());
    ReceivedMessage m = got.get(0);
    assertEquals("T1", m.topic());
    assertEquals(new MessageQueue("T1", "bk", 1), m.queue());
    assertEquals(5, m.queueOffset());
    assertEquals("plain " + NON_ASCII, m.bodyAsString());
    assertEquals("grün", m.property("color"));
    assertEquals("TagA", m.tags());
    assertEquals(List.of("k1", "k2"), m.keys());
    assertEquals(1_700_000_000_000L, m.bornTimestamp());
    assertEquals("10.0.0.2:50000", m.bornHost());
    assertEquals("10.0.0.1:10911", m.storeHost());
    assertEquals("0A00000100002A9F0000000000001000", m.offsetMsgId());
    assertEquals(m.offsetMsgId(), m.msgId(), "no UNIQ_KEY: the offset id");
    assertEquals(4096, m.commitLogOffset());

    ReceivedMessage r = got.get(1);
    assertEquals("T1", r.topic(), "a retried message shows its original topic");
    assertEquals(new MessageQueue("%RETRY%cg", "bk", 0), r.queue());
    assertEquals("zipped ".repeat(2000), r.bodyAsString());
    assertEquals(2, r.reconsumeTimes());
    assertEquals(3, r.redelivered().reconsumeTimes());

    ClientException cut =
        assertThrows(
            ClientException.class,
            () ->
                StoredMessageDecoder.decode(
                    Unpooled.wrappedBuffer(both, 0, both.length - 1), "bk", 0));
    assertTrue(cut.getMessage().contains("malformed"), cut.getMessage());
  }

  @Test
  void theWorkedRecordExampleOfTheProtocolDocumentDecodes() {
    byte[] record =
        HexFormat.of()
            .parseHex(
                "0000006ddaa320a758932aac0000000100000000000000000000000500000000000010000000"
                    + "00000000018bcfe568000a0000020000c3500000018bcfe568010a00000100002a9f0000"
                    + "000000000000000000000000000268690254310"
                    + "00e6101620254414753015461674102");
    ReceivedMessage m = StoredMessageDecoder.decode(Unpooled.wrappedBuffer(record), "b", 0).get(0);
    assertEquals("hi", m.bodyAsString());
    assertEquals("T1", m.topic());
    assertEquals(Map.of("a", "b", "TAGS", "TagA"), m.properties());
    assertEquals("0A00000100002A9F0000000000001000", m.offsetMsgId());
    assertEquals(1_700_000_000_001L, m.storeTimestamp());
  }

  @Test
  void uniqueIdsHaveTheOfficialLayout() throws Exception {
    byte[] ip = InetAddress.getByName("192.168.7.9").getAddress();
    UniqueIds ids = UniqueIds.forProcess(ip);
    String id = ids.next();
    assertEquals(32, id.length());
    assertEquals(id.toUpperCase(), id);
    assertArrayEquals(ip, MessageClientIDSetter.getIPFromID(id));
    assertEquals(ProcessHandle.current().pid() & 0xFFFF, MessageClientIDSetter.getPidFromID(id));
    // bytes 10..13: milliseconds since the month began (in the JVM's zone)
    long sinceMonthStart =
        Integer.toUnsignedLong(ByteBuffer.wrap(HexFormat.of().parseHex(id)).getInt(10));
    long monthStart =
        ZonedDateTime.now()
            .withDayOfMonth(1)
            .truncatedTo(ChronoUnit.DAYS)
            .toInstant()
            .toEpochMilli();
    long at = monthStart + sinceMonthStart;
    assertTrue(Math.abs(System.currentTimeMillis() - at) < 5_000, "time in the id: " + at);
    assertTrue(
        MessageClientIDSetter.getNearlyTimeFromID(id).getTime() <= System.currentTimeMillis());
    Set<String> many = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      many.add(ids.next());
    }
    assertEquals(10_000, many.size());
    assertEquals(
        56, UniqueIds.forProcess(InetAddress.getByName("::2").getAddress()).next().length());
  }

  @Test
  void heartbeatReadsAsTheOfficialHeartbeatData() {
    Subscription tags = Subscription.of("T1", "TagA || TagB", 1_700_000_000_000L);
    Subscription all = Subscription.of("%RETRY%cg", "*", 5);
    byte[] body =
        HeartbeatBody.pushConsumer(
                "10.0.0.2@1#2",
                "cg",
                MessageModel.CLUSTERING,
                ConsumeFromWhere.FIRST_OFFSET,
                List.of(tags, all))
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    HeartbeatData data = RemotingSerializable.decode(body, HeartbeatData.class);
    assertEquals("10.0.0.2@1#2", data.getClientID());
    ConsumerData consumer = data.getConsumerDataSet().iterator().next();
    assertEquals("cg", consumer.getGroupName());
    assertEquals("CLUSTERING", consumer.getMessageModel().name());
    assertEquals("CONSUME_PASSIVELY", consumer.getConsumeType().name());
    assertEquals("CONSUME_FROM_FIRST_OFFSET", consumer.getConsumeFromWhere().name());
    Map<String, SubscriptionData> subs =
        consumer.getSubscriptionDataSet().stream()
            .collect(Collectors.toMap(SubscriptionData::getTopic, s -> s));
    SubscriptionData t1 = subs.get("T1");
    assertEquals(Set.of("TagA", "TagB"), t1.getTagsSet());
    assertEquals(Set.of("TagA".hashCode(), "TagB".hashCode()), t1.getCodeSet());
    assertEquals(1_700_000_000_000L, t1.getSubVersion());
    assertEquals("TAG", t1.getExpressionType());
    assertEquals("*", subs.get("%RETRY%cg").getSubString());
    assertEquals(
        Set.of("CLIENT_INNER_PRODUCER"),
        data.getProducerDataSet().stream().map(p -> p.getGroupName()).collect(Collectors.toSet()));

    HeartbeatData producer =
        RemotingSerializable.decode(
            HeartbeatBody.producer("c@1", "pg").encode().getBytes(StandardCharsets.UTF_8),
            HeartbeatData.class);
    assertEquals(
        Set.of("pg", "CLIENT_INNER_PRODUCER"),
        producer.getProducerDataSet().stream()
            .map(p -> p.getGroupName())
            .collect(Collectors.toSet()));
    assertTrue(producer.getConsumerDataSet().isEmpty());
  }

  @Test
  void sendRequestsCarryTheOfficialV2HeaderFields() {
    SendRequests requests = new SendRequests(new ProducerOptions().setProducerGroup("pg"));
    SendRequests.Outgoing out =
        requests.prepare(new dev.apogee.client.Message("T", "body").setTags("A").setFlag(3));
    out.identify(() -> "C0A800010000000000000000000000AA");
    dev.apogee.remoting.RemotingCommand ours =
        requests.command(out, new MessageQueue("T", "broker-a", 3));

    SendMessageRequestHeader h = new SendMessageRequestHeader();
    h.setProducerGroup("pg");
    h.setTopic("T");
    h.setDefaultTopic("TBW102");
    h.setDefaultTopicQueueNums(4);
    h.setQueueId(3);
    h.setSysFlag(0);
    h.setBornTimestamp(Long.parseLong(ours.ext("g")));
    h.setFlag(3);
    h.setProperties(
        MessageDecoder.messageProperties2String(
            Map.of("TAGS", "A", "WAIT", "true", "UNIQ_KEY", "C0A800010000000000000000000000AA")));
    h.setReconsumeTimes(0);
    h.setUnitMode(false);
    h.setBatch(false);
    h.setBrokerName("broker-a");
    RemotingCommand theirs =
        RemotingCommand.createRequestCommand(
            310, SendMessageRequestHeaderV2.createSendMessageRequestHeaderV2(h));
    theirs.makeCustomHeaderToNet();
    Map<String, String> expected = new HashMap<>(theirs.getExtFields());
    Map<String, String> actual = new HashMap<>(ours.extFields());
    assertEquals(
        MessageDecoder.string2messageProperties(expected.remove("i")),
        MessageDecoder.string2messageProperties(actual.remove("i")));
    assertEquals(expected, actual);
    assertEquals(310, ours.code());
  }

  @Test
  void pullRequestsCarryThePushConsumersHeaderFields() {
    MessageQueue mq = new MessageQueue("T", "broker-a", 2);
    Subscription sub = Subscription.of("T", "A || B", 1_700_000_000_000L);
    dev.apogee.remoting.RemotingCommand ours =
        PullRequests.pull("cg", mq, 17, 32, 15, 15_000, sub, false);

    PullMessageRequestHeader h = new PullMessageRequestHeader();
    h.setConsumerGroup("cg");
    h.setTopic("T");
    h.setQueueId(2);
    h.setQueueOffset(17L);
    h.setMaxMsgNums(32);
    h.setSysFlag(0x1 | 0x2);
    h.setCommitOffset(15L);
    h.setSuspendTimeoutMillis(15_000L);
    h.setSubVersion(1_700_000_000_000L);
    h.setMaxMsgBytes(256 * 1024);
    h.setExpressionType("TAG");
    h.setBrokerName("broker-a");
    RemotingCommand theirs = RemotingCommand.createRequestCommand(11, h);
    theirs.makeCustomHeaderToNet();
    assertEquals(theirs.getExtFields(), ours.extFields());
  }

  @Test
  void subscriptionExpressionsParseAsTheOfficialFilterDoes() {
    assertEquals(Set.of(), Subscription.of("T", "*", 0).tags());
    assertEquals(Set.of(), Subscription.of("T", "", 0).tags());
    assertEquals(Set.of(), Subscription.of("T", null, 0).tags());
    Subscription ab = Subscription.of("T", " A ||B|| ", 0);
    assertEquals(Set.of("A", "B"), ab.tags());
    assertTrue(ab.matches("A"));
    assertTrue(!ab.matches("C") && !ab.matches(null));
    assertTrue(Subscription.of("T", "*", 0).matches(null));
  }

  private static org.apache.rocketmq.common.message.MessageQueue theirs(MessageQueue q) {
    return new org.apache.rocketmq.common.message.MessageQueue(
        q.topic(), q.brokerName(), q.queueId());
  }

  private static MessageExt record(
      String topic, int queueId, long queueOffset, long physical, String body, int sysFlag)
      throws Exception {
    MessageExt m = new MessageExt();
    m.setTopic(topic);
    m.setBody(body.getBytes(StandardCharsets.UTF_8));
    m.setTags("TagA");
    m.setKeys(List.of("k1", "k2"));
    m.setQueueId(queueId);
    m.setQueueOffset(queueOffset);
    m.setCommitLogOffset(physical);
    m.setSysFlag(sysFlag);
    m.setBornTimestamp(1_700_000_000_000L);
    m.setBornHost(new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 50000));
    m.setStoreTimestamp(1_700_000_000_001L);
    m.setStoreHost(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 10911));
    return m;
  }
}
