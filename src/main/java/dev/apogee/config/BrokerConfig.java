package dev.apogee.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Objects;

/**
 * Identity and behaviour of one broker, in RocketMQ's key names and with its defaults except where
 * noted. Immutable; safe to share between threads.
 *
 * @param brokerClusterName cluster the broker group belongs to ({@code DefaultCluster})
 * @param brokerName name of the broker group: a master and its slaves share it ({@code broker-a};
 *     RocketMQ uses the host name)
 * @param brokerId 0 for the master, 1 and up for slaves (0)
 * @param namesrvAddr name servers to register with, {@code host:port} separated by {@code ;} (none;
 *     the standalone default is {@code 127.0.0.1:9876})
 * @param listenPort TCP port for clients (10911)
 * @param brokerIP1 address the broker tells the name server and so its clients (the first
 *     non-loopback IPv4 address of this machine, else {@code 127.0.0.1})
 * @param autoCreateTopicEnable create a topic on its first send (true)
 * @param autoCreateSubscriptionGroup create a consumer group on its first use (true)
 * @param defaultTopicQueueNums queues of a topic created on its first send (8)
 * @param brokerRole {@code ASYNC_MASTER}, {@code SYNC_MASTER} or {@code SLAVE} ({@code
 *     ASYNC_MASTER})
 */
public record BrokerConfig(
    String brokerClusterName,
    String brokerName,
    long brokerId,
    String namesrvAddr,
    int listenPort,
    String brokerIP1,
    boolean autoCreateTopicEnable,
    boolean autoCreateSubscriptionGroup,
    int defaultTopicQueueNums,
    BrokerRole brokerRole) {

  /** Name server address of the standalone default, where name server and broker share a JVM. */
  public static final String STANDALONE_NAMESRV_ADDR = "127.0.0.1:9876";

  public BrokerConfig {
    Objects.requireNonNull(brokerClusterName, "brokerClusterName");
    Objects.requireNonNull(brokerName, "brokerName");
    Objects.requireNonNull(brokerIP1, "brokerIP1");
    Objects.requireNonNull(brokerRole, "brokerRole");
    if (listenPort < 0 || listenPort > 65_535) {
      throw new ConfigException("listenPort must be from 0 to 65535, was " + listenPort);
    }
    if (defaultTopicQueueNums < 1) {
      throw new ConfigException(
          "defaultTopicQueueNums must be at least 1, was " + defaultTopicQueueNums);
    }
    String idProblem = idProblem(brokerRole, brokerId);
    if (idProblem != null) {
      throw new ConfigException("brokerId " + brokerId + ": expected " + idProblem);
    }
  }

  /** Reads the broker settings from {@code src}. */
  public static BrokerConfig from(ConfigSource src) {
    String cluster = Limits.nonBlank(src, "brokerClusterName", "DefaultCluster");
    String name = Limits.nonBlank(src, "brokerName", "broker-a");
    long id = src.longValue("brokerId", 0);
    String namesrv = namesrvAddr(src);
    int port = Limits.port(src, "listenPort", 10911);
    String ip = src.string("brokerIP1", "");
    boolean autoTopic = src.bool("autoCreateTopicEnable", true);
    boolean autoGroup = src.bool("autoCreateSubscriptionGroup", true);
    int queues = Limits.atLeast(src, "defaultTopicQueueNums", 8, 1);
    BrokerRole role = src.enumValue("brokerRole", BrokerRole.class, BrokerRole.ASYNC_MASTER);
    String idProblem = idProblem(role, id);
    if (idProblem != null) {
      throw src.invalid("brokerId", Long.toString(id), idProblem);
    }
    return new BrokerConfig(
        cluster,
        name,
        id,
        namesrv,
        port,
        ip.isEmpty() ? firstNonLoopbackIpv4() : ip,
        autoTopic,
        autoGroup,
        queues,
        role);
  }

  /** The same settings with {@code namesrvAddr} replaced. */
  public BrokerConfig withNamesrvAddr(String addr) {
    return new BrokerConfig(
        brokerClusterName,
        brokerName,
        brokerId,
        addr,
        listenPort,
        brokerIP1,
        autoCreateTopicEnable,
        autoCreateSubscriptionGroup,
        defaultTopicQueueNums,
        brokerRole);
  }

  /** The name server addresses, in order; empty when none is configured. */
  public List<String> namesrvAddrList() {
    return namesrvAddr == null ? List.of() : List.of(namesrvAddr.split(";"));
  }

  // A master is brokerId 0 and a slave is not: the name server and clients pick the master of a
  // group by that id, so a mismatch would route writes to a slave.
  private static String idProblem(BrokerRole role, long id) {
    if (role == BrokerRole.SLAVE && id < 1) {
      return "1 or more for a SLAVE";
    }
    if (role != BrokerRole.SLAVE && id != 0) {
      return "0 for a master (brokerRole " + role + ")";
    }
    return null;
  }

  private static String namesrvAddr(ConfigSource src) {
    String v = src.string("namesrvAddr", "");
    if (v.isEmpty()) {
      return null;
    }
    for (String addr : v.split(";", -1)) {
      int colon = addr.lastIndexOf(':');
      if (colon <= 0 || !validPort(addr.substring(colon + 1))) {
        throw src.invalid("namesrvAddr", v, "host:port entries separated by ';'");
      }
    }
    return v;
  }

  private static boolean validPort(String s) {
    try {
      int p = Integer.parseInt(s);
      return p > 0 && p <= 65_535;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // RocketMQ prefers a public address over a private one; one rule is enough here, and brokerIP1
  // overrides it on machines where the first interface is the wrong one.
  private static String firstNonLoopbackIpv4() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(BrokerConfig::isUp)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address)
          .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
          .map(InetAddress::getHostAddress)
          .findFirst()
          .orElse("127.0.0.1");
    } catch (SocketException e) {
      return "127.0.0.1";
    }
  }

  private static boolean isUp(NetworkInterface nic) {
    try {
      return nic.isUp() && !nic.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
