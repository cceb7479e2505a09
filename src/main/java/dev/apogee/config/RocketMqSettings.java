package dev.apogee.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Names of the settings RocketMQ 5.5.0 understands in its broker and name server files, read from
 * the resource {@code rocketmq-keys.txt}. Lets the loader tell a RocketMQ user which of their
 * settings Apogee ignores apart from plain typos.
 */
final class RocketMqSettings {
  private static final String RESOURCE = "/rocketmq-keys.txt";
  private static final Set<String> NAMES = load();

  private RocketMqSettings() {}

  static boolean contains(String key) {
    return NAMES.contains(key);
  }

  static int size() {
    return NAMES.size();
  }

  private static Set<String> load() {
    InputStream in = RocketMqSettings.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      // Packaging bug, not a user error: the jar is broken.
      throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return r.lines()
          .map(String::trim)
          .filter(l -> !l.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }
}
