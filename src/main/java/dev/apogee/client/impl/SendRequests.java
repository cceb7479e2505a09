package dev.apogee.client.impl;

import dev.apogee.client.ClientException;
import dev.apogee.client.Message;
import dev.apogee.client.MessageQueue;
import dev.apogee.client.ProducerOptions;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns messages into SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE requests as the official producer
 * sends them (rocketmq-protocol.md 2.4, 3.6): checks first (topic name, empty or too large body,
 * delays in a batch), then compression and the properties string. Thread-safe: it only reads its
 * options.
 */
final class SendRequests {
  /** The official client's topic name rule. */
  private static final Pattern TOPIC = Pattern.compile("^[%|a-zA-Z0-9_-]+$");

  private static final int TOPIC_MAX_LENGTH = 127;

  /** Properties that make a message delayed; a batch may not carry them. */
  private static final List<String> DELAY_PROPERTIES =
      List.of(
          Message.PROPERTY_DELAY,
          Message.PROPERTY_DELIVER_TIME,
          "TIMER_DELAY_SEC",
          "TIMER_DELAY_MS");

  private final ProducerOptions options;

  SendRequests(ProducerOptions options) {
    this.options = options;
  }

  /**
   * A message ready to send: what the request needs, copied from the application's message. Its
   * unique id is given once, on the producer's context, so that retries send the same id.
   */
  static final class Outgoing {
    private final String topic;
    private final byte[] body;
    private final int flag;
    private final int sysFlag;
    private final Map<String, String> properties;
    private final boolean batch;
    private String msgId;
    private String propertiesString;
    private byte[] propertiesBytes;

    Outgoing(
        String topic,
        byte[] body,
        int flag,
        int sysFlag,
        Map<String, String> properties,
        boolean batch) {
      this.topic = topic;
      this.body = body;
      this.flag = flag;
      this.sysFlag = sysFlag;
      this.properties = properties;
      this.batch = batch;
    }

    String topic() {
      return topic;
    }

    /** The id the application sees: UNIQ_KEY, or a batch's ids joined by commas. */
    String msgId() {
      return msgId;
    }

    /**
     * Gives the message its UNIQ_KEY (unless the application set one) and encodes its properties; a
     * second call does nothing.
     *
     * @throws ClientException when the properties are too long for a record
     */
    void identify(Supplier<String> ids) {
      if (propertiesString != null) {
        return;
      }
      String uniq = properties.get(Message.PROPERTY_UNIQ_KEY);
      if (uniq == null) {
        uniq = ids.get();
        properties.put(Message.PROPERTY_UNIQ_KEY, uniq);
      }
      if (msgId == null) {
        msgId = uniq;
      }
      propertiesBytes = MessageCodec.propertiesBytes(properties);
      propertiesString = new String(propertiesBytes, StandardCharsets.UTF_8);
    }
  }

  /** Checks and copies {@code m}; compresses its body when it is large enough. */
  Outgoing prepare(Message m) {
    checkTopic(m.topic());
    byte[] body = checkBody(m);
    int sysFlag = 0;
    if (body.length >= options.compressThreshold()) {
      body = MessageCodec.deflate(body, options.compressLevel());
      sysFlag |= MessageCodec.FLAG_COMPRESSED | MessageCodec.COMPRESSION_ZLIB;
    }
    return new Outgoing(m.topic(), body, m.flag(), sysFlag, properties(m), false);
  }

  /** Checks and copies every message of a batch (never compressed, as the official client). */
  List<Outgoing> prepareBatch(List<Message> messages) {
    if (messages == null || messages.isEmpty()) {
      throw new ClientException("a batch needs at least one message");
    }
    String topic = messages.get(0).topic();
    checkTopic(topic);
    if (topic.startsWith(StoredMessageDecoder.RETRY_TOPIC_PREFIX)) {
      throw new ClientException("a batch cannot go to retry topic " + topic);
    }
    List<Outgoing> outs = new ArrayList<>(messages.size());
    for (Message m : messages) {
      if (!m.topic().equals(topic)) {
        throw new ClientException(
            "a batch's messages must share one topic: " + topic + " and " + m.topic());
      }
      for (String p : DELAY_PROPERTIES) {
        if (m.property(p) != null) {
          throw new ClientException("a batch cannot hold delayed messages (property " + p + ")");
        }
      }
      outs.add(new Outgoing(topic, checkBody(m), m.flag(), 0, properties(m), false));
    }
    return outs;
  }

  /**
   * One message carrying the whole batch: every message gets its id, the body is the batch
   * encoding, checked against the size limit. On the producer's context.
   */
  Outgoing assembleBatch(List<Outgoing> outs, Supplier<String> ids) {
    List<MessageCodec.BatchEntry> entries = new ArrayList<>(outs.size());
    List<String> msgIds = new ArrayList<>(outs.size());
    for (Outgoing o : outs) {
      o.identify(ids);
      msgIds.add(o.msgId);
      entries.add(new MessageCodec.BatchEntry(o.flag, o.body, o.propertiesBytes));
    }
    byte[] body = MessageCodec.encodeBatch(entries);
    if (body.length > options.maxMessageSize()) {
      throw new ClientException(
          "a batch of "
              + outs.size()
              + " messages encodes to "
              + body.length
              + " bytes, more than maxMessageSize "
              + options.maxMessageSize());
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put(Message.PROPERTY_WAIT, "true");
    Outgoing batch = new Outgoing(outs.get(0).topic, body, 0, 0, props, true);
    batch.msgId = String.join(",", msgIds);
    batch.identify(ids);
    return batch;
  }

  /** The request for {@code out} (identified) to {@code mq}, with the V2 header's short keys. */
  RemotingCommand command(Outgoing out, MessageQueue mq) {
    Map<String, String> ext = new LinkedHashMap<>();
    ext.put("a", options.producerGroup());
    ext.put("b", out.topic);
    ext.put("c", options.createTopicKey());
    ext.put("d", Integer.toString(options.defaultTopicQueueNums()));
    ext.put("e", Integer.toString(mq.queueId()));
    ext.put("f", Integer.toString(out.sysFlag));
    ext.put("g", Long.toString(System.currentTimeMillis()));
    ext.put("h", Integer.toString(out.flag));
    ext.put("i", out.propertiesString);
    ext.put("j", "0");
    ext.put("k", "false");
    ext.put("m", Boolean.toString(out.batch));
    ext.put("n", mq.brokerName());
    int code = out.batch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
    return RemotingCommand.request(code, ext).setBody(out.body);
  }

  private static Map<String, String> properties(Message m) {
    Map<String, String> props = new LinkedHashMap<>(m.properties());
    props.putIfAbsent(Message.PROPERTY_WAIT, "true");
    return props;
  }

  private byte[] checkBody(Message m) {
    byte[] body = m.body();
    if (body.length == 0) {
      throw new ClientException("the message body of topic " + m.topic() + " is empty");
    }
    if (body.length > options.maxMessageSize()) {
      throw new ClientException(
          "the message body of "
              + body.length
              + " bytes is larger than maxMessageSize "
              + options.maxMessageSize()
              + " bytes");
    }
    return body;
  }

  private static void checkTopic(String topic) {
    if (topic == null || topic.isBlank()) {
      throw new ClientException("the topic is empty");
    }
    if (topic.length() > TOPIC_MAX_LENGTH) {
      throw new ClientException(
          "topic " + topic + " is longer than " + TOPIC_MAX_LENGTH + " characters");
    }
    if (!TOPIC.matcher(topic).matches()) {
      throw new ClientException(
          "topic " + topic + " has characters other than letters, digits, %, |, _ and -");
    }
  }
}
