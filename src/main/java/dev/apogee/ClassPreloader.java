package dev.apogee;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Loads, on a spare thread, the classes a start is known to need, so that reading them from the jar
 * and parsing them overlaps with the start itself instead of stalling it one class at a time.
 *
 * <p>The list ({@value #LIST}) is the class-load log of a standalone start, regenerated with {@code
 * bench/preload-classes.sh}. Classes are loaded without being initialised: no static initialiser
 * runs early or on this thread, so the order of initialisation is the program's own. A class that
 * is not found (a list older than the jar) is only counted: it is loaded later as usual.
 *
 * <p>Run as a program it loads the list in the foreground and exits: with {@code
 * -XX:ArchiveClassesAtExit=apogee.jsa} that writes a class-data sharing archive of every class a
 * start needs, which {@code -XX:SharedArchiveFile=apogee.jsa} then maps instead of loading them
 * (the Docker image does this).
 */
public final class ClassPreloader {
  static final String LIST = "META-INF/apogee/preload-classes.txt";

  /**
   * {@code -Dapogee.preload=false} turns preloading off (to regenerate the list, or to compare).
   */
  static final String ENABLED_PROPERTY = "apogee.preload";

  private static volatile Result result;

  /** What a preload did. */
  record Result(int loaded, int missing, long millis, String failure) {
    @Override
    public String toString() {
      return failure != null
          ? "class preloading failed: " + failure
          : "preloaded " + loaded + " classes in " + millis + " ms (" + missing + " not found)";
    }
  }

  private ClassPreloader() {}

  /** Preloads in the foreground and prints what it did; exits 1 when the list is missing. */
  public static void main(String[] args) {
    Result r = preload(ClassPreloader.class.getClassLoader());
    System.out.println(r);
    System.exit(r.failure() == null ? 0 : 1);
  }

  /** Starts the preloading thread (a daemon: it never holds the process). */
  static void start() {
    if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))) {
      return;
    }
    Thread t = new Thread(() -> result = preload(ClassPreloader.class.getClassLoader()));
    t.setName("apogee-preload");
    t.setDaemon(true);
    t.setPriority(Thread.NORM_PRIORITY - 1);
    t.start();
  }

  /** The outcome once the thread has finished, else null. */
  static Result result() {
    return result;
  }

  /** Loads every listed class through {@code loader}; never throws. */
  static Result preload(ClassLoader loader) {
    long start = System.nanoTime();
    int loaded = 0;
    int missing = 0;
    try (InputStream in = loader.getResourceAsStream(LIST)) {
      if (in == null) {
        return new Result(0, 0, 0, LIST + " is not on the class path");
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
      String name;
      while ((name = reader.readLine()) != null) {
        if (name.isEmpty() || name.charAt(0) == '#') {
          continue;
        }
        try {
          Class.forName(name, false, loader);
          loaded++;
        } catch (ClassNotFoundException | LinkageError e) {
          missing++;
        }
      }
    } catch (IOException e) {
      return new Result(loaded, missing, elapsedMillis(start), e.toString());
    }
    return new Result(loaded, missing, elapsedMillis(start), null);
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
