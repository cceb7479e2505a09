package dev.apogee.client;

/**
 * How a broker took a message it stored. Only {@link #SEND_OK} means the broker met its durability
 * setting; the others mean the message is stored but a flush or a slave did not confirm in time
 * (RocketMQ's response codes 10, 12 and 11).
 */
public enum SendStatus {
  SEND_OK,
  FLUSH_DISK_TIMEOUT,
  FLUSH_SLAVE_TIMEOUT,
  SLAVE_NOT_AVAILABLE
}
