package dev.apogee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPreloaderTest {
  @TempDir Path dir;

  @Test
  void everyClassOfTheShippedListExists() throws IOException, ClassNotFoundException {
    List<String> names;
    try (InputStream in =
        Objects.requireNonNull(
            getClass().getClassLoader().getResourceAsStream(ClassPreloader.LIST),
            ClassPreloader.LIST)) {
      names =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isEmpty() && !l.startsWith("#"))
              .toList();
    }
    assertTrue(names.size() > 1000, "the list covers a start: " + names.size());
    assertTrue(names.contains(Launcher.class.getName()));
    assertTrue(names.contains("dev.apogee.broker.BrokerVerticle"));
    // The JDK's own internals differ between releases; everything else ships in the jar and must
    // still exist, or the list is older than the code (rerun bench/preload-classes.sh).
    ClassLoader loader = getClass().getClassLoader();
    for (String name : names) {
      if (!name.startsWith("java.")
          && !name.startsWith("javax.")
          && !name.startsWith("jdk.")
          && !name.startsWith("sun.")
          && !name.startsWith("com.sun.")) {
        Class.forName(name, false, loader);
      }
    }
  }

  @Test
  void countsLoadedAndMissingClassesAndSkipsComments() throws IOException {
    writeList("# a comment\njava.lang.String\n\ndev.apogee.NoSuchClass\ndev.apogee.Launcher\n");
    try (URLClassLoader loader = loaderOverDir()) {
      ClassPreloader.Result r = ClassPreloader.preload(loader);
      assertNull(r.failure());
      assertEquals(2, r.loaded());
      assertEquals(1, r.missing());
      assertTrue(r.toString().startsWith("preloaded 2 classes in "), r.toString());
    }
  }

  @Test
  void aMissingListIsAFailureNotAnException() throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      ClassPreloader.Result r = ClassPreloader.preload(loader);
      assertEquals(0, r.loaded());
      assertTrue(r.toString().contains("is not on the class path"), r.toString());
    }
  }

  private void writeList(String content) throws IOException {
    Path list = dir.resolve(ClassPreloader.LIST);
    Files.createDirectories(list.getParent());
    Files.writeString(list, content);
  }

  // Finds the list in dir first (a child-first look-up would need more code than the test).
  private URLClassLoader loaderOverDir() throws IOException {
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader()) {
      @Override
      public InputStream getResourceAsStream(String name) {
        try {
          return Files.newInputStream(dir.resolve(name));
        } catch (IOException e) {
          return null;
        }
      }
    };
  }
}
