package dev.apogee;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code apogee namesrv [-c FILE]}: the name server. It is not part of this build; the command says
 * so and exits 2 rather than start something that answers nobody.
 */
@Command(name = "namesrv", description = "Run a name server (not available in this build yet).")
final class NamesrvCommand implements Callable<Integer> {
  static final int EXIT_UNAVAILABLE = 2;
  static final String NOT_AVAILABLE = "the name server is not available in this build yet";

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
    spec.commandLine().getErr().println(NOT_AVAILABLE);
    return EXIT_UNAVAILABLE;
  }
}
