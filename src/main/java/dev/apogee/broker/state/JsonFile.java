package dev.apogee.broker.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A broker state file replaced atomically: the new content goes to a temporary file, is forced to
 * disk, renamed over the old one, and the directory is forced, so a crash leaves either the old or
 * the new content, never a mix. Callers serialize writes to one file.
 */
public final class JsonFile {
  private final Path path;

  public JsonFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The content, or null when the file does not exist. */
  public byte[] read() {
    try {
      return Files.exists(path) ? Files.readAllBytes(path) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Replaces the content atomically and durably. */
  public synchronized void write(byte[] content) {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      Files.createDirectories(path.getParent());
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
