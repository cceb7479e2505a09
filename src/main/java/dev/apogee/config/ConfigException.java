package dev.apogee.config;

/** Bad configuration: start-up stops with this message (key, origin, value, reason). */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
