package dev.apogee.namesrv;

import dev.apogee.protocol.DataVersion;

/**
 * The answer to QUERY_DATA_VERSION (rocketmq-protocol.md 2.1): whether the broker's topic table
 * differs from the one last registered, so that it should register again. Immutable.
 *
 * @param changed whether the versions differ (also when the broker is not registered)
 * @param registered the version last registered, or {@code null} if the broker is not registered
 */
public record DataVersionCheck(boolean changed, DataVersion registered) {}
