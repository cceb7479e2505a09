package dev.apogee.store.file;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Releases a mapping at once instead of waiting for the garbage collector, so a deleted file's
 * space comes back while the broker runs and a closed store holds no mappings.
 *
 * <p>{@code sun.misc.Unsafe#invokeCleaner} lives in the {@code jdk.unsupported} module, which
 * exports and opens {@code sun.misc}: no {@code --add-opens} flag is needed on Java 17, 21 or 25.
 * It is looked up reflectively so the build has no compile-time tie to an internal class.
 */
final class Unmapper {
  private static final MethodHandle INVOKE_CLEANER = lookup();

  private Unmapper() {}

  private static MethodHandle lookup() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field f = unsafeClass.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      Object unsafe = f.get(null);
      return MethodHandles.lookup()
          .findVirtual(
              unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(unsafe);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError(
          "cannot find sun.misc.Unsafe.invokeCleaner to unmap files: " + e);
    }
  }

  /** Unmaps {@code buffer}; it must never be touched again, nor any slice of it. */
  static void unmap(ByteBuffer buffer) {
    try {
      INVOKE_CLEANER.invokeExact(buffer);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("unmap failed", t);
    }
  }
}
