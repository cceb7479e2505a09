package dev.apogee.protocol;

/**
 * The version of a broker's topic table (rocketmq-protocol.md 2.3). A broker bumps it whenever its
 * topics change; a name server that sees the same version again knows nothing changed. Two versions
 * are the same only when all three fields are. Immutable.
 *
 * @param timestamp when the version was made, epoch millis
 * @param counter how many times the table changed
 * @param stateVersion the controller's state version, 0 without a controller
 */
public record DataVersion(long timestamp, long counter, long stateVersion) {}
