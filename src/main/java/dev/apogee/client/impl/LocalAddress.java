package dev.apogee.client.impl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * The address a client names itself by (in its client id and in message ids), chosen as the
 * official client chooses: the first public IPv4 address, else a public IPv6 address, else a
 * private IPv4 address (a non-loopback one if any), else 127.0.0.1. Reading the interfaces may
 * touch the file system, so callers run {@link #detect()} off the event loop.
 */
final class LocalAddress {
  private LocalAddress() {}

  /** The chosen address. Blocking. */
  static InetAddress detect() {
    InetAddress privateV4 = null;
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()) {
            continue;
          }
          if (a instanceof Inet4Address) {
            if (!isPrivate(a)) {
              return a;
            }
            if (privateV4 == null || privateV4.isLoopbackAddress()) {
              privateV4 = a;
            }
          } else if (a instanceof Inet6Address
              && !a.isLoopbackAddress()
              && !a.isSiteLocalAddress()
              && (a.getAddress()[0] & 0xFE) != 0xFC) {
            return a;
          }
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list the network interfaces: " + e.getMessage(), e);
    }
    return privateV4 != null ? privateV4 : InetAddress.getLoopbackAddress();
  }

  /** 10/8, 172.16/12, 192.168/16 and 127/8. */
  private static boolean isPrivate(InetAddress a) {
    byte[] b = a.getAddress();
    int first = b[0] & 0xFF;
    int second = b[1] & 0xFF;
    return first == 10
        || first == 127
        || (first == 172 && second >= 16 && second <= 31)
        || (first == 192 && second == 168);
  }
}
