/**
 * The key index: {@link dev.apogee.store.index.IndexService} over a directory of {@link
 * dev.apogee.store.index.IndexFile}s in RocketMQ's layout (rocketmq-protocol.md 4.3).
 *
 * <p>Threads: one writer (the dispatcher) calls {@code put}, and {@code load} and {@code truncate}
 * before or between its puts; any thread queries; one flusher calls {@code flush}; the retention
 * task may call {@code deleteFilesBefore} while the writer runs. The file list is an immutable
 * snapshot replaced under one lock, so readers never block; a reader holds a file's mapping for the
 * length of one lookup, and a deleted file is unmapped when its last reader lets go.
 */
package dev.apogee.store.index;
