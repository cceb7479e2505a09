package dev.apogee.client;

/** How a consumer group shares a topic's messages. */
public enum MessageModel {
  /** Every message goes to one member of the group; the group divides the queues among members. */
  CLUSTERING,
  /** Every member receives every message; each keeps its own offsets. */
  BROADCASTING
}
