package dev.apogee.config;

/** When an append is durable: after a periodic fsync, or before its reply (group commit). */
public enum FlushDiskType {
  ASYNC_FLUSH,
  SYNC_FLUSH
}
