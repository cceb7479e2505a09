package dev.apogee.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings every client shares: the name servers, the client's identity, timeouts and the periods
 * of its route polls and heartbeats. Defaults are the official RocketMQ client's. Setters return
 * the options so calls chain; a client copies its options when it is created.
 *
 * <p>Not thread-safe; fill it on one thread, then hand it to a client.
 *
 * @param <T> the concrete options type, returned by the setters
 */
public abstract class ClientOptions<T extends ClientOptions<T>> {
  private List<String> nameServers = new ArrayList<>();
  private String instanceName;
  private String clientIp;
  private Duration requestTimeout = Duration.ofSeconds(3);
  private Duration pollNameServerInterval = Duration.ofSeconds(30);
  private Duration heartbeatInterval = Duration.ofSeconds(30);

  protected ClientOptions() {}

  protected ClientOptions(ClientOptions<?> other) {
    this.nameServers = new ArrayList<>(other.nameServers);
    this.instanceName = other.instanceName;
    this.clientIp = other.clientIp;
    this.requestTimeout = other.requestTimeout;
    this.pollNameServerInterval = other.pollNameServerInterval;
    this.heartbeatInterval = other.heartbeatInterval;
  }

  /** This object as its concrete type. */
  protected abstract T self();

  /** The name servers, {@code host:port} each. */
  public List<String> nameServers() {
    return List.copyOf(nameServers);
  }

  /** Sets the name servers, {@code host:port} each; the client tries them in turn. */
  public T setNameServers(List<String> addresses) {
    List<String> list = new ArrayList<>();
    for (String a : addresses) {
      String address = Objects.requireNonNull(a, "name server address").trim();
      if (address.lastIndexOf(':') <= 0) {
        throw new IllegalArgumentException("name server '" + a + "' is not host:port");
      }
      list.add(address);
    }
    nameServers = list;
    return self();
  }

  /** Sets the name servers from RocketMQ's form, {@code host:port;host:port}. */
  public T setNameServerAddress(String addresses) {
    List<String> list = new ArrayList<>();
    for (String a : addresses.split(";")) {
      if (!a.isBlank()) {
        list.add(a.trim());
      }
    }
    return setNameServers(list);
  }

  /** The instance name, or null for one made per client ({@code pid#nanoTime}). */
  public String instanceName() {
    return instanceName;
  }

  /**
   * Sets the instance name, the part of the client id after {@code @}. Clients in one group must
   * have distinct ids; leave it unset unless a fixed id is wanted.
   */
  public T setInstanceName(String instanceName) {
    this.instanceName = instanceName;
    return self();
  }

  /** The address put in the client id and message ids, or null to detect one. */
  public String clientIp() {
    return clientIp;
  }

  public T setClientIp(String clientIp) {
    this.clientIp = clientIp;
    return self();
  }

  /** How long a request to a name server or broker may take (3 s). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  public T setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = positive("requestTimeout", requestTimeout);
    return self();
  }

  /** How often the routes of the topics in use are fetched again (30 s). */
  public Duration pollNameServerInterval() {
    return pollNameServerInterval;
  }

  public T setPollNameServerInterval(Duration interval) {
    this.pollNameServerInterval = positive("pollNameServerInterval", interval);
    return self();
  }

  /** How often the client sends its heartbeat to the brokers (30 s). */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public T setHeartbeatInterval(Duration interval) {
    this.heartbeatInterval = positive("heartbeatInterval", interval);
    return self();
  }

  /** {@code value} if it is a positive duration; else an exception naming the setting. */
  protected static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
    return value;
  }

  /** {@code value} if it is at least {@code min}; else an exception naming the setting. */
  protected static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
    }
    return value;
  }

  /** {@code value} if it is a non-empty string; else an exception naming the setting. */
  protected static String nonEmpty(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be set");
    }
    return value;
  }
}
