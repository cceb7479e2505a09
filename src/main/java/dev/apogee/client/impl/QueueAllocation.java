package dev.apogee.client.impl;

import dev.apogee.client.MessageQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * RocketMQ's default division of a topic's queues among a clustering group's members ({@code
 * AllocateMessageQueueAveragely}, rocketmq-protocol.md 5.3): with queues and member ids both
 * sorted, member {@code i} of {@code c} takes a contiguous run of {@code n / c} queues, the first
 * {@code n % c} members one more. Every member computes the same split from the same lists, which
 * is why this client and the official one can share a group. Pure and thread-safe.
 */
final class QueueAllocation {
  private QueueAllocation() {}

  /**
   * The queues {@code member} takes.
   *
   * @param queues every queue of the topic, sorted
   * @param members every member id of the group, sorted
   * @return the member's queues in order; empty when {@code member} is not among {@code members}
   */
  static List<MessageQueue> averagely(
      List<MessageQueue> queues, List<String> members, String member) {
    int index = members.indexOf(member);
    if (index < 0 || queues.isEmpty()) {
      return List.of();
    }
    int n = queues.size();
    int c = members.size();
    int mod = n % c;
    int size;
    if (n <= c) {
      size = 1;
    } else if (mod > 0 && index < mod) {
      size = n / c + 1;
    } else {
      size = n / c;
    }
    int start = (mod > 0 && index < mod) ? index * size : index * size + mod;
    int range = Math.min(size, n - start);
    List<MessageQueue> mine = new ArrayList<>(Math.max(range, 0));
    for (int i = 0; i < range; i++) {
      mine.add(queues.get(start + i));
    }
    return mine;
  }
}
