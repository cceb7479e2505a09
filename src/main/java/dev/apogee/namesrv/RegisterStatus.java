package dev.apogee.namesrv;

/** What a REGISTER_BROKER did; {@link RegisterBrokerResult} carries it. */
public enum RegisterStatus {
  /** The broker is registered and its liveness refreshed. Answer SUCCESS. */
  REGISTERED,

  /**
   * Nothing changed: another address holds the same brokerId with a newer controller state version
   * ({@code stateVersion}), so this broker is out of date. RocketMQ answers SUCCESS without a
   * master address.
   */
  IGNORED_STALE_STATE_VERSION,

  /**
   * Nothing changed: a registration that carries exactly one topic (a broker announcing a topic it
   * just created) came before that broker's first full registration. RocketMQ answers SYSTEM_ERROR
   * "register broker failed"; the broker's next full registration succeeds.
   */
  REJECTED_NOT_YET_REGISTERED
}
