package dev.apogee.config;

/**
 * The part a broker plays in its group, in RocketMQ's names: a master takes writes (brokerId 0), a
 * slave copies a master (brokerId 1 and up).
 */
public enum BrokerRole {
  /** Master that answers a send once the record is stored locally. */
  ASYNC_MASTER,
  /** Master that answers a send once a slave has the record too. */
  SYNC_MASTER,
  /** Copy of a master; serves reads. */
  SLAVE
}
