package dev.apogee.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One result line of a client bench: throughput, latency percentiles (microseconds) and errors,
 * printed as a table or as JSON.
 */
record ResultRow(
    String mode, long messages, double seconds, long bytes, long errors, Histogram latency) {

  double rate() {
    return messages / seconds;
  }

  double mbPerSecond() {
    return bytes / seconds / (1024 * 1024);
  }

  static void printTable(PrintWriter out, List<ResultRow> rows) {
    out.printf(
        Locale.ROOT,
        "%-30s %12s %9s %9s %9s %9s %9s %8s%n",
        "mode",
        "msg/s",
        "MB/s",
        "p50 us",
        "p99 us",
        "p99.9 us",
        "max us",
        "errors");
    for (ResultRow r : rows) {
      Histogram h = r.latency();
      out.printf(
          Locale.ROOT,
          "%-30s %12.0f %9.2f %9d %9d %9d %9d %8d%n",
          r.mode(),
          r.rate(),
          r.mbPerSecond(),
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          h.getMaxValue(),
          r.errors());
    }
    out.flush();
  }

  String json() {
    Histogram h = latency;
    return String.format(
        Locale.ROOT,
        "{\"mode\":\"%s\",\"messages\":%d,\"seconds\":%.3f,\"msgPerSec\":%.1f,\"mbPerSec\":%.2f,"
            + "\"p50us\":%d,\"p99us\":%d,\"p999us\":%d,\"maxUs\":%d,\"errors\":%d}",
        mode,
        messages,
        seconds,
        rate(),
        mbPerSecond(),
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        errors);
  }
}
