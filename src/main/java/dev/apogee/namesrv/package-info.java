/**
 * The name server's logic, apart from its I/O: {@link dev.apogee.namesrv.RouteTable} (brokers,
 * topics, routes, expiry) and {@link dev.apogee.namesrv.KvConfigStore} (configuration entries).
 *
 * <p>Threads: both classes synchronize every public method on themselves and never call out while
 * holding the lock, so there is no lock order to keep. They read no clock (times are passed in), do
 * no I/O and log nothing; the verticle that wraps them answers requests, closes the connections of
 * removed brokers, logs each removal once and writes the configuration snapshot to disk.
 */
package dev.apogee.namesrv;
