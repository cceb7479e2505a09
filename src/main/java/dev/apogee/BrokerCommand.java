package dev.apogee;

import dev.apogee.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apogee broker -c FILE}: one broker with its store, settings from a broker file. */
@Command(
    name = "broker",
    description =
        "Run a broker with the settings of FILE (in this build: the message store alone).")
final class BrokerCommand implements Callable<Integer> {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "-c",
      paramLabel = "FILE",
      required = true,
      description = "Broker settings in RocketMQ's key names (a RocketMQ broker.conf works).")
  Path configFile;

  @Override
  public Integer call() {
    return Launcher.run(ConfigLoader.Role.BROKER, configFile);
  }
}
