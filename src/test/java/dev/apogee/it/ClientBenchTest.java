package dev.apogee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apogee.bench.BenchCommand;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The client benches ({@code bench produce}, {@code consume}, {@code e2e}) run briefly against an
 * in-process Apogee: they finish with exit code 0, report what they measured, and produce's stored
 * check matches the broker's queue offsets.
 */
class ClientBenchTest {
  @TempDir static Path dir;
  private static ApogeeFixture apogee;

  @BeforeAll
  static void start() throws Exception {
    apogee = ApogeeFixture.start(dir, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (apogee != null) {
      apogee.close();
    }
  }

  private static JsonObject run(String... args) {
    CommandLine cl = BenchCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 3];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--namesrv";
    all[args.length + 1] = apogee.namesrvAddr();
    all[args.length + 2] = "--json";
    int code = cl.execute(all);
    assertEquals(0, code, "exit code; out:\n" + out + "\nerr:\n" + err);
    String text = out.toString().trim();
    return new JsonObject(text.substring(text.lastIndexOf('\n') + 1));
  }

  @Test
  void produceReportsAndEveryAcknowledgedMessageIsStored() {
    JsonObject r =
        run(
            "produce",
            "--topic",
            "BenchP",
            "--mode",
            "async",
            "--inflight",
            "32",
            "--duration",
            "1",
            "--warmup",
            "0",
            "--size",
            "256");
    JsonObject row = r.getJsonArray("rows").getJsonObject(0);
    assertTrue(row.getLong("messages") > 0, r.encode());
    assertEquals(0L, row.getLong("errors"), r.encode());
    assertTrue(r.getBoolean("allStored"), r.encode());
    assertEquals(r.getLong("acked"), r.getLong("stored"), r.encode());
  }

  @Test
  void consumeDrainsTheBacklogItFilled() {
    JsonObject r = run("consume", "--topic", "BenchC", "--messages", "3000", "--size", "128");
    JsonObject row = r.getJsonArray("rows").getJsonObject(0);
    assertEquals(3000L, row.getLong("messages"), r.encode());
    assertTrue(row.getDouble("msgPerSec") > 0, r.encode());
  }

  @Test
  void e2eReceivesEverythingItSent() {
    JsonObject r =
        run("e2e", "--topic", "BenchE", "--rate", "500", "--duration", "2", "--warmup", "1");
    assertTrue(r.getLong("sent") > 0, r.encode());
    assertEquals(r.getLong("sent"), r.getLong("received"), r.encode());
  }
}
