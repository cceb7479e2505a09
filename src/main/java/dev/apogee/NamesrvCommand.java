package dev.apogee;

import dev.apogee.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code apogee namesrv [-c FILE]}: one name server (port {@code listenPort}, default 9876). */
@Command(name = "namesrv", description = "Run a name server.")
final class NamesrvCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "-c",
      paramLabel = "FILE",
      description = "Name server settings in RocketMQ's key names.")
  Path configFile;

  @Override
  public Integer call() {
    return Launcher.run(ConfigLoader.Role.NAMESRV, configFile);
  }
}
