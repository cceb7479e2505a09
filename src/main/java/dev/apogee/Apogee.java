package dev.apogee;

import dev.apogee.bench.BenchCommand;
import dev.apogee.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * Entry point. Without a subcommand Apogee runs standalone: settings from {@code conf/broker.conf}
 * when that file exists in the working directory (else defaults), data in {@code ./data}, until
 * SIGTERM or Ctrl-C. Subcommands run one role per process.
 */
@Command(
    name = "apogee",
    mixinStandardHelpOptions = true,
    versionProvider = Apogee.VersionProvider.class,
    description = {
      "A message broker in the design of Apache RocketMQ.",
      "Without a subcommand: standalone, settings from conf/broker.conf if present, data in ./data."
    },
    subcommands = {
      NamesrvCommand.class,
      BrokerCommand.class,
      GatewayCommand.class,
      DlqCommand.class
    })
public final class Apogee implements Callable<Integer> {
  /** Settings file the standalone default reads when it exists. */
  static final Path STANDALONE_CONFIG = Path.of("conf", "broker.conf");

  // Must be set before any Vert.x class initialises its logger.
  private static final String VERTX_LOGGER_PROPERTY = "vertx.logger-delegate-factory-class-name";
  private static final String VERTX_SLF4J = "io.vertx.core.logging.SLF4JLogDelegateFactory";

  // Netty's buffer allocator declares JFR events; the first one it creates initialises the JDK's
  // whole event metadata (about 0.2 s of a start that must take under a second). Off unless the
  // operator asks for them with -Dio.netty.jfr.enabled=true.
  private static final String NETTY_JFR_PROPERTY = "io.netty.jfr.enabled";

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.setProperty(VERTX_LOGGER_PROPERTY, VERTX_SLF4J);
    if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
      System.setProperty(NETTY_JFR_PROPERTY, "false");
    }
    ClassPreloader.start();
    if (args.length == 0) {
      // The standalone default has nothing to parse: building the command tree (reflection over
      // every command class) would only delay a start that must be ready in under a second.
      int code;
      try {
        code = new Apogee().call();
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(Apogee.class).error("unexpected error", e);
        code = Launcher.EXIT_START_FAILED;
      }
      System.exit(code);
    }
    System.exit(commandLine().execute(args));
  }

  /** The command tree, for {@link #main} and for tests that capture its output. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Apogee());
    cl.addSubcommand(BenchCommand.commandLine());
    // Unexpected failures only: expected ones return an exit code and log one line.
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          LoggerFactory.getLogger(Apogee.class).error("unexpected error", e);
          return Launcher.EXIT_START_FAILED;
        });
    return cl;
  }

  /** The version in the jar's manifest, {@code dev} when not run from the jar. */
  public static String version() {
    String v = Apogee.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public Integer call() {
    Path file = Files.isRegularFile(STANDALONE_CONFIG) ? STANDALONE_CONFIG : null;
    return Launcher.run(ConfigLoader.Role.STANDALONE, file);
  }

  /** Answers {@code --version}. */
  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"apogee " + version()};
    }
  }
}
