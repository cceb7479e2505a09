package dev.apogee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class ApogeeTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger launcherLog = (Logger) LoggerFactory.getLogger(Launcher.class);

  @TempDir Path dir;

  @BeforeEach
  void captureLog() {
    logged.start();
    launcherLog.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    launcherLog.detachAppender(logged);
  }

  private int run(String... args) {
    CommandLine cl = Apogee.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private List<ILoggingEvent> errors() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
  }

  @Test
  void versionPrintsDevOutsideTheJarAndExitsZero() {
    assertEquals(0, run("--version"));
    assertEquals("apogee dev" + System.lineSeparator(), out.toString());
  }

  @Test
  void helpListsSubcommandsAndExitsZero() {
    assertEquals(0, run("--help"));
    String help = out.toString();
    assertTrue(help.startsWith("Usage: apogee"), help);
    for (String sub : List.of("namesrv", "broker", "bench")) {
      assertTrue(help.contains("  " + sub + " "), "help lacks " + sub + ":\n" + help);
    }
  }

  @Test
  void namesrvRefusesABadSettingAndExitsTwo(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path conf = dir.resolve("namesrv.conf");
    java.nio.file.Files.writeString(conf, "listenPort=not-a-port\n");
    assertEquals(2, run("namesrv", "-c", conf.toString()));
  }

  @Test
  void benchWithoutGeneratorPrintsUsageAndExitsTwo() {
    assertEquals(2, run("bench"));
    assertTrue(err.toString().contains("Usage: apogee bench"), err.toString());
  }

  @Test
  void brokerRequiresAConfigFile() {
    assertEquals(2, run("broker"));
    assertTrue(err.toString().contains("Missing required option: '-c=FILE'"), err.toString());
  }

  @Test
  void brokerWithBadValueLogsOneErrorAndExitsTwo() throws IOException {
    Path conf = dir.resolve("broker.conf");
    Files.writeString(conf, "brokerName=broker-b\nflushIntervalCommitLog=soon\n");

    assertEquals(2, run("broker", "-c", conf.toString()));

    List<ILoggingEvent> errors = errors();
    assertEquals(1, errors.size(), logged.list.toString());
    assertEquals(
        "bad configuration: invalid value 'soon' for flushIntervalCommitLog (from "
            + conf
            + "): expected an integer",
        errors.get(0).getFormattedMessage());
    assertEquals(null, errors.get(0).getThrowableProxy());
  }

  @Test
  void brokerWithMissingFileLogsOneErrorAndExitsTwo() {
    Path conf = dir.resolve("missing.conf");

    assertEquals(2, run("broker", "-c", conf.toString()));

    List<ILoggingEvent> errors = errors();
    assertEquals(1, errors.size(), logged.list.toString());
    assertEquals(
        "bad configuration: config file " + conf + " not found",
        errors.get(0).getFormattedMessage());
  }
}
