package dev.apogee.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Passes objects between verticles of one JVM as they are: {@code transform} hands over the same
 * instance (immutable, or owned by the receiver from then on). The wire methods refuse: the bus is
 * never clustered.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private static final Set<Vertx> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

  private final String name;

  private LocalCodec(Class<T> type) {
    this.name = "apogee-local-" + type.getName();
  }

  /** Registers the codecs of every type sent on the bus, once per Vert.x instance. */
  public static synchronized void registerAll(Vertx vertx, Class<?>... types) {
    if (!REGISTERED.add(vertx)) {
      return;
    }
    for (Class<?> t : types) {
      register(vertx, t);
    }
  }

  private static <T> void register(Vertx vertx, Class<T> type) {
    vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException("local codec " + name + " does not cross the wire");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("local codec " + name + " does not cross the wire");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
