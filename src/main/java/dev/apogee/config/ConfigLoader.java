package dev.apogee.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds an {@link ApogeeConfig} from a RocketMQ-style properties file (its key names, so an
 * existing {@code broker.conf} works) and {@code APOGEE_*} environment overrides. Each config
 * record reads its own keys; keys that no record read are returned as warnings, naming RocketMQ
 * settings Apogee ignores apart from unknown ones. A bad value throws {@link ConfigException}
 * naming key, origin, value and reason. Stateless; safe from any thread.
 */
public final class ConfigLoader {

  /** Which process the settings are for; decides which records read the file. */
  public enum Role {
    /** Name server, broker and store in one JVM, configured by a broker file. */
    STANDALONE,
    /** One broker with its store, configured by a broker file. */
    BROKER,
    /** One name server, configured by a name server file. */
    NAMESRV,
    /**
     * The HTTP gateway alone, reaching a cluster through {@code namesrvAddr}; configured by a file
     * with the HTTP keys, {@code namesrvAddr} and {@code maxMessageSize}.
     */
    GATEWAY
  }

  /**
   * The settings and one message per ignored key.
   *
   * @param config the settings
   * @param warnings one line per key that no record read, in key order
   */
  public record Loaded(ApogeeConfig config, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  private ConfigLoader() {}

  /**
   * Reads {@code file} (null: defaults only) and applies overrides from {@code env}.
   *
   * @throws ConfigException when the file cannot be read or a value is invalid
   */
  public static Loaded load(Role role, Path file, Map<String, String> env) {
    Map<String, String> fileValues = file == null ? Map.of() : readFile(file);
    String origin = file == null ? "defaults" : file.toString();
    ConfigSource src = ConfigSource.of(fileValues, origin, env, knownKeys(role));
    ApogeeConfig config = read(role, src);
    if (role == Role.GATEWAY) {
      checkGateway(config, src);
    }
    List<String> warnings =
        src.unreadKeys().stream().map(key -> ignoredMessage(key, src.origin(key))).toList();
    return new Loaded(config, warnings);
  }

  /** The warning for a key that no record read. */
  static String ignoredMessage(String key, String origin) {
    if (RocketMqSettings.contains(key)) {
      return "RocketMQ setting '"
          + key
          + "' (from "
          + origin
          + ") is not used by Apogee and is ignored";
    }
    return "unknown setting '" + key + "' (from " + origin + ") is ignored";
  }

  private static ApogeeConfig read(Role role, ConfigSource src) {
    return switch (role) {
      case STANDALONE -> withStandaloneNamesrv(readBroker(src));
      case BROKER -> readBroker(src);
      case NAMESRV -> {
        // A name server's file holds name server keys only; the rest keeps its defaults and any
        // store or broker key in it is reported as unused.
        ConfigSource none = ConfigSource.of(Map.of());
        yield new ApogeeConfig(
            StoreConfig.from(none),
            FlushConfig.from(none),
            BrokerConfig.from(none),
            NameServerConfig.from(src),
            GatewayConfig.disabled());
      }
      case GATEWAY -> readGateway(src);
    };
  }

  // A gateway reads its HTTP keys and two broker-file keys; the rest keeps its defaults, and
  // any other key in its file is reported as unused.
  private static ApogeeConfig readGateway(ConfigSource src) {
    String nameServers = src.string("namesrvAddr", "");
    int maxMessageSize = src.integer("maxMessageSize", 4 * 1024 * 1024);
    ConfigSource none = ConfigSource.of(Map.of());
    Map<String, String> picked = new LinkedHashMap<>();
    picked.put("maxMessageSize", Integer.toString(maxMessageSize));
    if (!nameServers.isBlank()) {
      picked.put("namesrvAddr", nameServers);
    }
    ConfigSource pickedSource = ConfigSource.of(picked);
    return new ApogeeConfig(
        StoreConfig.from(pickedSource),
        FlushConfig.from(none),
        BrokerConfig.from(pickedSource),
        NameServerConfig.from(none),
        GatewayConfig.from(src));
  }

  // What a gateway cannot start without (checked after reading, not while probing the keys).
  private static void checkGateway(ApogeeConfig c, ConfigSource src) {
    if (c.broker().namesrvAddr() == null) {
      throw new ConfigException(
          "a gateway needs namesrvAddr (host:port;host:port); none in "
              + src.origin("namesrvAddr")
              + " or the environment");
    }
    if (!c.gateway().gatewayEnable()) {
      throw new ConfigException("a gateway with gatewayEnable=false would serve nothing");
    }
  }

  // Standalone runs its own name server, so with no namesrvAddr the broker registers there.
  private static ApogeeConfig withStandaloneNamesrv(ApogeeConfig c) {
    if (c.broker().namesrvAddr() != null) {
      return c;
    }
    BrokerConfig broker = c.broker().withNamesrvAddr(BrokerConfig.STANDALONE_NAMESRV_ADDR);
    return new ApogeeConfig(c.store(), c.flush(), broker, c.nameServer(), c.gateway());
  }

  // listenPort in a broker file is the broker's port (RocketMQ's convention), so the name server
  // of a broker-file process keeps its default.
  private static ApogeeConfig readBroker(ConfigSource src) {
    return new ApogeeConfig(
        StoreConfig.from(src),
        FlushConfig.from(src),
        BrokerConfig.from(src),
        NameServerConfig.defaults(),
        GatewayConfig.from(src));
  }

  // The keys the records of a role read, found by letting them read an empty source. Environment
  // variables override exactly these (and any key present in the file).
  private static Set<String> knownKeys(Role role) {
    ConfigSource probe = ConfigSource.of(Map.of());
    read(role, probe);
    return probe.readKeys();
  }

  private static Map<String, String> readFile(Path file) {
    Properties props = new Properties();
    // UTF-8 with malformed bytes replaced: RocketMQ users' files often carry comments in another
    // encoding, and a comment must not stop start-up.
    try (InputStream in = Files.newInputStream(file);
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " not found");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config file " + file + " is malformed: " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : props.stringPropertyNames()) {
      values.put(key, props.getProperty(key));
    }
    return values;
  }
}
