package dev.apogee;

import dev.apogee.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code apogee gateway [-c FILE]}: the HTTP gateway alone (port {@code gatewayPort}, default
 * 8080), reaching a cluster through {@code namesrvAddr}.
 */
@Command(
    name = "gateway",
    description = "Run the HTTP gateway alone, against the name servers of namesrvAddr.")
final class GatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "-c",
      paramLabel = "FILE",
      description = "Gateway settings: namesrvAddr (required), gatewayPort, maxMessageSize.")
  Path configFile;

  @Override
  public Integer call() {
    return Launcher.run(ConfigLoader.Role.GATEWAY, configFile);
  }
}
