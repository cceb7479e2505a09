package dev.apogee.bench;

import picocli.CommandLine.Option;

/** Options every client bench shares: where, what, how long, and the output form. */
final class ClientBenchOptions {
  @Option(
      names = {"-n", "--namesrv"},
      defaultValue = "127.0.0.1:9876",
      description =
          "Name server address(es), host:port separated by ';' (default: ${DEFAULT-VALUE}).")
  String namesrv;

  @Option(
      names = "--topic",
      defaultValue = "BenchTopic",
      description = "Topic, created with --queues queues if needed (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--queues",
      defaultValue = "8",
      description = "Queues of the topic (default: ${DEFAULT-VALUE}).")
  int queues;

  @Option(
      names = "--size",
      defaultValue = "1024",
      description = "Message body bytes (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Seconds measured (default: ${DEFAULT-VALUE}).")
  int duration;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  void validate() {
    if (queues < 1 || size < 1 || duration < 1 || warmup < 0) {
      throw new IllegalArgumentException(
          "--queues, --size and --duration must be at least 1, --warmup at least 0");
    }
  }

  byte[] body() {
    byte[] b = new byte[size];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }
}
