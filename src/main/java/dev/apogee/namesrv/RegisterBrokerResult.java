package dev.apogee.namesrv;

/**
 * The outcome of {@link RouteTable#register}: what happened and, for a slave whose master is
 * registered, where the master is (the {@code masterAddr} and {@code haServerAddr} response
 * fields). Immutable.
 *
 * @param status what the registration did
 * @param masterAddr the master's address, or {@code null} for a master or a slave without one
 * @param haServerAddr the master's HA address, or {@code null} likewise
 */
public record RegisterBrokerResult(RegisterStatus status, String masterAddr, String haServerAddr) {

  static RegisterBrokerResult registered(String masterAddr, String haServerAddr) {
    return new RegisterBrokerResult(RegisterStatus.REGISTERED, masterAddr, haServerAddr);
  }

  static RegisterBrokerResult notRegistered(RegisterStatus status) {
    return new RegisterBrokerResult(status, null, null);
  }
}
