package dev.apogee.protocol;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Unmodifiable copies for the body records. Maps and sets are sorted by key so that a body is
 * written the same way every time; a {@code null} collection becomes an empty one.
 */
final class Copies {
  private Copies() {}

  static <K extends Comparable<? super K>, V> SortedMap<K, V> sortedMap(Map<K, V> map) {
    return map == null
        ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  static <E extends Comparable<? super E>> SortedSet<E> sortedSet(Collection<E> items) {
    return items == null
        ? Collections.emptySortedSet()
        : Collections.unmodifiableSortedSet(new TreeSet<>(items));
  }

  static <E> List<E> list(List<E> items) {
    return items == null ? List.of() : List.copyOf(items);
  }
}
