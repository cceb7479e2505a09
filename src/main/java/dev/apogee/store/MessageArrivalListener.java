package dev.apogee.store;

/**
 * Told when new messages became readable in a queue, so parked pulls can be answered. Called on the
 * dispatcher's worker thread, once per queue per dispatch round: hand off, never block.
 */
@FunctionalInterface
public interface MessageArrivalListener {
  void arrived(String topic, int queueId, long maxOffset);
}
