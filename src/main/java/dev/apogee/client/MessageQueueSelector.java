package dev.apogee.client;

import java.util.List;

/**
 * Chooses the queue a message goes to, for sends that must keep an order: messages that the
 * selector sends to one queue are consumed in the order they were sent. Such a send is not retried
 * on another queue.
 */
@FunctionalInterface
public interface MessageQueueSelector {

  /**
   * @param queues the topic's writable queues, in the route's order; never empty
   * @param message the message being sent
   * @param arg what the caller passed with the send
   * @return one of {@code queues}
   */
  MessageQueue select(List<MessageQueue> queues, Message message, Object arg);

  /**
   * Sends messages whose {@code arg} has the same hash code to the same queue while the topic's
   * queues stay the same: {@code |arg.hashCode() % queues|}, as RocketMQ's {@code
   * SelectMessageQueueByHash}, so this and the official client place a key on one queue.
   */
  static MessageQueueSelector byHash() {
    return (queues, message, arg) -> {
      int index = arg.hashCode() % queues.size();
      return queues.get(Math.abs(index));
    };
  }
}
