package dev.apogee.store;

import dev.apogee.config.ConfigSource;
import dev.apogee.config.FlushConfig;
import dev.apogee.config.StoreConfig;
import dev.apogee.store.message.MessageDraft;
import dev.apogee.store.message.MessageProperties;
import dev.apogee.store.message.RecordEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers for store tests: encoding messages, awaiting futures and conditions. */
final class StoreFixture {
  static final InetSocketAddress BORN = new InetSocketAddress("10.0.0.2", 50000);
  static final InetSocketAddress STORE = new InetSocketAddress("10.0.0.1", 10911);

  private StoreFixture() {}

  static StoreConfig storeConfig(Path root, Map<String, String> overrides) {
    return StoreConfig.of(root, overrides);
  }

  static FlushConfig flushConfig(Map<String, String> overrides) {
    return FlushConfig.from(ConfigSource.of(overrides));
  }

  static Map<String, String> props(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static MessageDraft draft(String topic, int queueId, byte[] body, Map<String, String> props) {
    return new MessageDraft(
        topic,
        queueId,
        7,
        0,
        1_700_000_000_000L,
        BORN,
        STORE,
        0,
        0,
        Unpooled.wrappedBuffer(body),
        MessageProperties.encode(props));
  }

  static ByteBuf encode(MessageDraft... drafts) {
    ByteBuf out = Unpooled.buffer();
    for (MessageDraft d : drafts) {
      RecordEncoder.encode(d, out, Integer.MAX_VALUE);
    }
    return out;
  }

  static PutRequest put(String topic, int queueId, byte[] body, Map<String, String> props) {
    return new PutRequest(topic, queueId, encode(draft(topic, queueId, body, props)), true);
  }

  static PutRequest put(String topic, int queueId, String body) {
    return put(
        topic,
        queueId,
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new HashMap<>(Map.of(MessageProperties.TAGS, "TagA")));
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  static MessageStore open(Vertx vertx, StoreConfig sc, FlushConfig fc, MessageStore.Options o) {
    return await(MessageStore.open(vertx, sc, fc, o));
  }

  /** Polls {@code cond} until true or the deadline passes. */
  static void until(String what, Duration timeout, BooleanSupplier cond) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
