package dev.apogee.gateway;

import dev.apogee.broker.topic.TopicValidator;
import dev.apogee.client.BrokerException;
import dev.apogee.client.ClientException;
import dev.apogee.client.Message;
import dev.apogee.client.Producer;
import dev.apogee.client.ProducerOptions;
import dev.apogee.client.SendResult;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST side of the gateway under {@code /v1}: sending messages (one or a batch) and topic
 * administration. It talks to the cluster as a RocketMQ client does (a producer and admin requests
 * to the name servers), so it serves the same in the broker's process and in a process of its own.
 * Errors are JSON {@code {code, message}}; see README for the resources.
 *
 * <p>Confined to the gateway verticle's context.
 */
final class RestApi {
  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

  /** The content type of a JSON envelope; any other request body is the message body itself. */
  static final String ENVELOPE_TYPE = "application/vnd.apogee.message+json";

  static final int MAX_BATCH = 1_000;
  static final int MAX_QUEUES = 1_024;
  static final int DEFAULT_QUERY_MAX = 32;
  static final int MAX_QUERY = 64;
  private static final int JSON_OVERHEAD = 64 * 1024;
  private static final String PRODUCER_GROUP = "apogee-gateway";

  private final Vertx vertx;
  private final Supplier<String> nameServers;
  private final int maxMessageSize;
  private Producer producer;
  private ClusterAdmin admin;

  /**
   * @param nameServers the name server addresses, asked on first use (a standalone node knows its
   *     own only once started)
   * @param maxMessageSize the largest body accepted, as the brokers' {@code maxMessageSize}
   */
  RestApi(Vertx vertx, Supplier<String> nameServers, int maxMessageSize) {
    this.vertx = vertx;
    this.nameServers = nameServers;
    this.maxMessageSize = maxMessageSize;
  }

  void mount(Router router) {
    // Raw bodies up to the message size; envelopes and batches may carry base64 (4/3) plus JSON.
    long envelopeLimit = (long) maxMessageSize * 4 / 3 + JSON_OVERHEAD;
    BodyHandler messageBody = BodyHandler.create(false).setBodyLimit(envelopeLimit);
    BodyHandler smallBody = BodyHandler.create(false).setBodyLimit(JSON_OVERHEAD);
    BodyHandler batchBody =
        BodyHandler.create(false).setBodyLimit(Math.max(envelopeLimit, 4L * maxMessageSize));

    router.post("/v1/topics/:topic/messages").handler(messageBody).handler(this::send);
    router.post("/v1/topics/:topic/batch").handler(batchBody).handler(this::sendBatch);
    router.get("/v1/topics/:topic/messages").handler(this::messagesByKey);
    router.get("/v1/topics/:topic/messages/:msgId").handler(this::messageById);
    router.get("/v1/topics").handler(this::listTopics);
    router.get("/v1/ws/subscribe").handler(this::subscribe);
    router.get("/v1/groups/:group/offsets").handler(this::groupOffsets);
    router.post("/v1/groups/:group/offsets/reset").handler(smallBody).handler(this::resetOffsets);
    router.post("/v1/topics").handler(smallBody).handler(this::createTopic);
    router.get("/v1/topics/:topic").handler(this::describeTopic);
    router.delete("/v1/topics/:topic").handler(this::deleteTopic);
  }

  Future<Void> close() {
    List<Future<?>> all = new ArrayList<>();
    if (producer != null) {
      all.add(producer.close());
    }
    if (admin != null) {
      admin.close();
    }
    return Future.join(all).mapEmpty();
  }

  // ------------------------------------------------------------------ sending

  private void send(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    Message m;
    try {
      checkSendTopic(topic);
      m =
          isEnvelope(rc)
              ? Envelopes.parse(topic, bodyJson(rc), maxMessageSize)
              : Envelopes.raw(topic, rc.body().buffer(), rc.queryParams(), maxMessageSize);
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    producer()
        .send(m)
        .onSuccess(r -> Http.json(rc, 200, result(topic, r, 0)))
        .onFailure(e -> sendFailed(rc, topic, e));
  }

  private void sendBatch(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    List<Message> messages = new ArrayList<>();
    try {
      checkSendTopic(topic);
      JsonObject body = bodyJson(rc);
      Object list = body.getValue("messages");
      if (!(list instanceof JsonArray array) || array.isEmpty()) {
        throw new HttpError(400, "a batch is {\"messages\": [envelope, ...]} with one or more");
      }
      if (array.size() > MAX_BATCH) {
        throw new HttpError(400, "a batch holds at most " + MAX_BATCH + " messages");
      }
      long total = 0;
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof JsonObject env)) {
          throw new HttpError(400, "messages[" + i + "] is not a JSON object");
        }
        Message m;
        try {
          m = Envelopes.parse(topic, env, maxMessageSize);
        } catch (HttpError e) {
          throw new HttpError(e.status, "messages[" + i + "]: " + e.getMessage());
        }
        if (m.delayLevel() > 0 || m.deliverTime() > 0) {
          throw new HttpError(400, "messages[" + i + "]: a batch cannot hold delayed messages");
        }
        total += m.body().length;
        messages.add(m);
      }
      if (total > maxMessageSize) {
        throw new HttpError(
            413, "the batch's bodies total " + total + " bytes; at most " + maxMessageSize);
      }
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    producer()
        .sendBatch(messages)
        .onSuccess(
            r -> {
              String[] ids = r.msgId().split(",");
              JsonArray results = new JsonArray();
              for (int i = 0; i < messages.size(); i++) {
                JsonObject one = result(topic, r, i);
                one.put("msgId", i < ids.length ? ids[i] : r.msgId());
                results.add(one);
              }
              Http.json(rc, 200, new JsonObject().put("results", results));
            })
        .onFailure(e -> sendFailed(rc, topic, e));
  }

  private static JsonObject result(String topic, SendResult r, int index) {
    return new JsonObject()
        .put("topic", topic)
        .put("msgId", r.msgId())
        .put("status", r.status().name())
        .put("brokerName", r.queue().brokerName())
        .put("queueId", r.queue().queueId())
        .put("queueOffset", r.queueOffset() + index);
  }

  private static void checkSendTopic(String topic) {
    checkTopic(topic);
    if (TopicValidator.isNotAllowedSend(topic)) {
      throw new HttpError(400, "the topic " + topic + " is a system topic and takes no messages");
    }
  }

  private static boolean isEnvelope(RoutingContext rc) {
    String type = rc.request().getHeader("Content-Type");
    if (type == null) {
      return false;
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().equalsIgnoreCase(ENVELOPE_TYPE);
  }

  private void sendFailed(RoutingContext rc, String topic, Throwable e) {
    int status;
    if (e instanceof BrokerException b) {
      status =
          switch (b.code()) {
            case ResponseCode.TOPIC_NOT_EXIST -> 404;
            case ResponseCode.MESSAGE_ILLEGAL -> 400;
            case ResponseCode.NO_PERMISSION -> 403;
            default -> 503;
          };
    } else if (e instanceof ClientException) {
      status = 503;
    } else {
      LOG.error("sending to {} failed", topic, e);
      Http.error(rc, 500, "internal error");
      return;
    }
    Http.error(rc, status, e.getMessage());
  }

  // ------------------------------------------------------------------ looking messages up

  private void messagesByKey(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    String key = rc.queryParams().get("key");
    int max;
    try {
      checkTopic(topic);
      if (key == null || key.isBlank()) {
        throw new HttpError(400, "key is required: GET /v1/topics/{topic}/messages?key=...");
      }
      String m = rc.queryParams().get("max");
      max = m == null ? DEFAULT_QUERY_MAX : parseInt("max", m, 1, MAX_QUERY);
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    admin()
        .queryByKey(topic, key, max, false)
        .onSuccess(
            list -> {
              JsonArray out = new JsonArray();
              list.stream().limit(max).forEach(m -> out.add(MessageJson.of(m)));
              Http.json(rc, 200, new JsonObject().put("messages", out));
            })
        .onFailure(e -> adminFailed(rc, "querying " + topic, e));
  }

  private void messageById(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    String msgId = rc.pathParam("msgId");
    try {
      checkTopic(topic);
      // 32 hex digits for a producer on IPv4, 56 on IPv6.
      if (!msgId.matches("(?:[0-9A-Fa-f]{2}){16,32}")) {
        throw new HttpError(
            400, "a message id is 32 to 64 hexadecimal digits, was '" + msgId + "'");
      }
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    admin()
        .queryByKey(topic, msgId.toUpperCase(Locale.ROOT), DEFAULT_QUERY_MAX, true)
        .onSuccess(
            list -> {
              if (list.isEmpty()) {
                Http.error(rc, 404, "no message " + msgId + " in " + topic);
              } else {
                // A message stored twice (a producer's retry) has one id: the first copy.
                Http.json(rc, 200, MessageJson.of(list.get(0)));
              }
            })
        .onFailure(e -> adminFailed(rc, "looking up " + msgId, e));
  }

  private static void checkTopic(String topic) {
    String bad = TopicValidator.checkTopic(topic);
    if (bad != null) {
      throw new HttpError(400, bad);
    }
  }

  private static int parseInt(String name, String value, int min, int max) {
    try {
      int v = Integer.parseInt(value.trim());
      if (v < min || v > max) {
        throw new HttpError(400, name + " must be from " + min + " to " + max + ", was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " is not an integer: '" + value + "'");
    }
  }

  // ------------------------------------------------------------------ groups

  private void groupOffsets(RoutingContext rc) {
    String group = rc.pathParam("group");
    String topic = rc.queryParams().get("topic");
    try {
      checkGroup(group);
      if (topic != null) {
        checkTopic(topic);
      }
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    admin()
        .groupOffsets(group, topic)
        .onSuccess(
            list -> {
              JsonArray out = new JsonArray();
              long lag = 0;
              for (ClusterAdmin.GroupQueue q : list) {
                long committed = q.offsets().consumerOffset();
                long queueLag = Math.max(0, q.offsets().brokerOffset() - Math.max(0, committed));
                lag += queueLag;
                out.add(
                    new JsonObject()
                        .put("topic", q.queue().topic())
                        .put("brokerName", q.queue().brokerName())
                        .put("queueId", q.queue().queueId())
                        .put("brokerOffset", q.offsets().brokerOffset())
                        .put("consumerOffset", committed)
                        .put("lag", queueLag)
                        .put("lastTimestamp", q.offsets().lastTimestamp()));
              }
              Http.json(
                  rc, 200, new JsonObject().put("group", group).put("lag", lag).put("queues", out));
            })
        .onFailure(e -> adminFailed(rc, "reading the offsets of " + group, e));
  }

  private void resetOffsets(RoutingContext rc) {
    String group = rc.pathParam("group");
    String topic;
    long timestamp;
    long offset;
    try {
      checkGroup(group);
      JsonObject body = bodyJson(rc);
      for (String f : body.fieldNames()) {
        if (!f.equals("topic") && !f.equals("timestamp") && !f.equals("offset")) {
          throw new HttpError(
              400, "unknown field '" + f + "'; a reset has topic and timestamp or offset");
        }
      }
      topic = Envelopes.string(body, "topic");
      if (topic == null) {
        throw new HttpError(400, "topic is required");
      }
      checkTopic(topic);
      Long ts = Envelopes.integer(body, "timestamp");
      Long off = Envelopes.integer(body, "offset");
      if ((ts == null) == (off == null)) {
        throw new HttpError(400, "a reset has exactly one of timestamp (epoch ms) and offset");
      }
      if ((ts != null && ts < 0) || (off != null && off < 0)) {
        throw new HttpError(400, "timestamp and offset are 0 or more");
      }
      timestamp = ts == null ? -1 : ts;
      offset = off == null ? -1 : off;
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    admin()
        .resetOffsets(group, topic, timestamp, offset)
        .onSuccess(
            table -> {
              JsonArray out = new JsonArray();
              table.forEach(
                  (q, o) ->
                      out.add(
                          new JsonObject()
                              .put("brokerName", q.brokerName())
                              .put("queueId", q.queueId())
                              .put("offset", o)));
              Http.json(
                  rc,
                  200,
                  new JsonObject().put("group", group).put("topic", topic).put("queues", out));
            })
        .onFailure(e -> adminFailed(rc, "resetting " + group + " on " + topic, e));
  }

  private static void checkGroup(String group) {
    String bad = TopicValidator.checkGroup(group);
    if (bad != null) {
      throw new HttpError(400, bad);
    }
  }

  // ------------------------------------------------------------------ WebSocket

  private void subscribe(RoutingContext rc) {
    MultiMap q = rc.queryParams();
    String topic = q.get("topic");
    WsTail.Start start;
    long credit;
    String tag = q.get("tag");
    try {
      if (topic == null) {
        throw new HttpError(400, "topic is required: /v1/ws/subscribe?topic=...");
      }
      checkTopic(topic);
      if (q.get("group") != null) {
        throw new HttpError(
            400,
            "subscriptions with a group (leases and acks) are not served yet; without group the"
                + " socket tails the topic");
      }
      String upgrade = rc.request().getHeader("Upgrade");
      if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
        throw new HttpError(400, "this resource is a WebSocket: connect with an upgrade request");
      }
      start = WsTail.Start.parse(q.get("from"));
      String c = q.get("credit");
      credit = c == null ? 0 : parseInt("credit", c, 0, 1_000_000);
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    boolean binary = "true".equalsIgnoreCase(q.get("binary"));
    String expression = tag == null || tag.isBlank() ? "*" : tag;
    String ns = nameServers.get();
    rc.request()
        .toWebSocket()
        .onSuccess(ws -> new WsTail(vertx, ws, ns, topic, expression, binary, credit).start(start))
        .onFailure(e -> LOG.warn("WebSocket upgrade for {} failed: {}", topic, e.toString()));
  }

  // ------------------------------------------------------------------ topics

  private void listTopics(RoutingContext rc) {
    boolean system = "true".equalsIgnoreCase(rc.queryParams().get("system"));
    admin()
        .topics()
        .onSuccess(
            all -> {
              JsonArray out = new JsonArray();
              for (String t : all) {
                if (system || !isInternal(t)) {
                  out.add(t);
                }
              }
              Http.json(rc, 200, new JsonObject().put("topics", out));
            })
        .onFailure(e -> adminFailed(rc, "listing topics", e));
  }

  private void createTopic(RoutingContext rc) {
    String topic;
    int queues;
    try {
      JsonObject body = bodyJson(rc);
      topic = Envelopes.string(body, "name");
      if (topic == null) {
        throw new HttpError(400, "name is required");
      }
      checkTopic(topic);
      if (TopicValidator.isSystemTopic(topic)) {
        throw new HttpError(400, "the topic " + topic + " is a system topic");
      }
      Long q = Envelopes.integer(body, "queues");
      queues = q == null ? 8 : q.intValue();
      if (q != null && (q < 1 || q > MAX_QUEUES)) {
        throw new HttpError(400, "queues must be from 1 to " + MAX_QUEUES + ", was " + q);
      }
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    admin()
        .createTopic(topic, queues)
        .onSuccess(
            v ->
                Http.json(
                    rc, 201, new JsonObject().put("name", topic).put("queuesPerBroker", queues)))
        .onFailure(e -> adminFailed(rc, "creating " + topic, e));
  }

  private void describeTopic(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    try {
      checkTopic(topic);
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    admin()
        .describe(topic)
        .onSuccess(
            queues -> {
              JsonArray out = new JsonArray();
              long messages = 0;
              for (ClusterAdmin.QueueInfo q : queues) {
                out.add(
                    new JsonObject()
                        .put("brokerName", q.brokerName())
                        .put("queueId", q.queueId())
                        .put("minOffset", q.offsets().minOffset())
                        .put("maxOffset", q.offsets().maxOffset())
                        .put("lastUpdateTimestamp", q.offsets().lastUpdateTimestamp()));
                messages += q.offsets().maxOffset() - q.offsets().minOffset();
              }
              Http.json(
                  rc,
                  200,
                  new JsonObject().put("name", topic).put("messages", messages).put("queues", out));
            })
        .onFailure(e -> adminFailed(rc, "describing " + topic, e));
  }

  private void deleteTopic(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    try {
      checkTopic(topic);
      if (TopicValidator.isSystemTopic(topic)) {
        throw new HttpError(400, "the topic " + topic + " is a system topic");
      }
    } catch (HttpError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    admin()
        .deleteTopic(topic)
        .onSuccess(v -> rc.response().setStatusCode(204).end())
        .onFailure(e -> adminFailed(rc, "deleting " + topic, e));
  }

  private static boolean isInternal(String topic) {
    return TopicValidator.isSystemTopic(topic)
        || topic.startsWith(TopicValidator.RETRY_PREFIX)
        || topic.startsWith(TopicValidator.DLQ_PREFIX);
  }

  private static void adminFailed(RoutingContext rc, String what, Throwable e) {
    if (e instanceof ClusterAdmin.AdminException a) {
      if (a.code() == ResponseCode.TOPIC_NOT_EXIST) {
        Http.error(rc, 404, "no such topic");
      } else if (a.code() == ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST) {
        Http.error(rc, 404, "no such group");
      } else {
        Http.error(rc, 503, e.getMessage());
      }
    } else {
      // The name server or broker did not answer: the cluster, not the request, is at fault.
      LOG.warn("HTTP {} failed: {}", what, e.toString());
      Http.error(rc, 503, what + " failed: " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ plumbing

  private static JsonObject bodyJson(RoutingContext rc) {
    Buffer b = rc.body().buffer();
    if (b == null || b.length() == 0) {
      throw new HttpError(400, "the request has no body");
    }
    try {
      return new JsonObject(b);
    } catch (DecodeException | ClassCastException e) {
      throw new HttpError(400, "the body is not a JSON object: " + e.getMessage());
    }
  }

  private Producer producer() {
    if (producer == null) {
      producer =
          Producer.create(
              vertx,
              new ProducerOptions()
                  .setNameServerAddress(nameServers.get())
                  .setProducerGroup(PRODUCER_GROUP)
                  .setMaxMessageSize(maxMessageSize));
    }
    return producer;
  }

  private ClusterAdmin admin() {
    if (admin == null) {
      admin = new ClusterAdmin(vertx, nameServers.get());
    }
    return admin;
  }
}
