package dev.apogee.store;

/** Appends up to commit log offset {@code upTo} wait for an fsync (their replies are queued). */
record GroupCommit(long upTo) {}
