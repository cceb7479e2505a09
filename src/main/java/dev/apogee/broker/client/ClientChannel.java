package dev.apogee.broker.client;

/**
 * A client's connection as the registries see it: identity plus when it last sent a heartbeat.
 *
 * @param <C> the connection type (the remoting layer's connection)
 * @param clientId the client's id ({@code ip@instance})
 * @param remoteAddress {@code ip:port} of the connection
 * @param language the client's language name
 * @param version the client's version ordinal
 */
public record ClientChannel<C>(
    C connection, String clientId, String remoteAddress, String language, int version) {}
