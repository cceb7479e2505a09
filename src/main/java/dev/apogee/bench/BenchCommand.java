package dev.apogee.bench;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code apogee bench}: the parent of the built-in load generators. Each generator is a picocli
 * command class listed in {@link #SUBCOMMANDS}. Run without a generator's name, the command prints
 * its usage and exits 2.
 */
@Command(name = "bench", description = "Built-in load generators.")
public final class BenchCommand implements Callable<Integer> {
  /**
   * The load generators, as picocli {@code @Command} classes; {@code apogee bench NAME} runs one.
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(StoreBench.class, ProduceBench.class, ConsumeBench.class, E2eBench.class);

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Spec CommandSpec spec;

  /** The {@code bench} command with every generator of {@link #SUBCOMMANDS} added. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BenchCommand());
    SUBCOMMANDS.forEach(cl::addSubcommand);
    return cl;
  }

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    cl.getErr()
        .println(
            cl.getSubcommands().isEmpty()
                ? "no load generator is available in this build yet"
                : "choose a load generator");
    cl.usage(cl.getErr());
    return 2;
  }
}
