package dev.apogee.remoting;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * Request code to processor. Read on every request from any event loop, written rarely (at
 * start-up): copy on write, so a lookup is one volatile read and no boxing.
 */
final class ProcessorTable {
  private volatile IntObjectMap<RequestProcessor> table = new IntObjectHashMap<>();

  synchronized void register(int code, RequestProcessor processor) {
    if (processor == null) {
      throw new IllegalArgumentException("processor for code " + code + " must not be null");
    }
    IntObjectMap<RequestProcessor> copy = new IntObjectHashMap<>(table.size() + 1);
    copy.putAll(table);
    copy.put(code, processor);
    table = copy;
  }

  RequestProcessor get(int code) {
    return table.get(code);
  }
}
