package dev.apogee.store.message;

import static dev.apogee.store.message.TestRecords.STORE;
import static dev.apogee.store.message.TestRecords.ipv4;
import static dev.apogee.store.message.TestRecords.ipv6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MessageIdTest {

  @Test
  void encodesTheWorkedExampleAsUpperCaseHex() {
    assertEquals("0A00000100002A9F0000000000001000", MessageId.encode(STORE, 4096));
  }

  @Test
  void encodesAnIpv6StoreHostIn56Characters() {
    InetSocketAddress host = ipv6("2001:db8::ff", 10911);
    String id = MessageId.encode(host, 0x0102030405060708L);
    assertEquals("20010DB80000000000000000000000FF00002A9F0102030405060708", id);
    assertEquals(new MessageId.Decoded(host, 0x0102030405060708L), MessageId.decode(id));
  }

  @Test
  void decodesUpperAndLowerCase() {
    MessageId.Decoded expected = new MessageId.Decoded(STORE, 4096);
    assertEquals(expected, MessageId.decode("0A00000100002A9F0000000000001000"));
    assertEquals(expected, MessageId.decode("0a00000100002a9f0000000000001000"));
  }

  @Test
  void roundTripsTheLargestOffsetAndPort() {
    InetSocketAddress host = ipv4("255.255.255.255", 65535);
    assertEquals(
        new MessageId.Decoded(host, Long.MAX_VALUE),
        MessageId.decode(MessageId.encode(host, Long.MAX_VALUE)));
  }

  @Test
  void rejectsNullAndWrongLengthsNamingTheLength() {
    assertThrows(IllegalArgumentException.class, () -> MessageId.decode(null));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessageId.decode("0A00000100002A9F000000000000100"));
    assertTrue(e.getMessage().contains("31"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MessageId.decode(""));
  }

  @Test
  void rejectsANonHexCharacterNamingItsIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessageId.decode("0A00000100002A9F00000000000010G0"));
    assertTrue(e.getMessage().contains("'G' at index 30"), e.getMessage());
    // a full-width digit is a digit to Character.digit, but not hex here
    assertThrows(
        IllegalArgumentException.class,
        () -> MessageId.decode("0A00000100002A9F000000000000100\uFF10"));
  }

  @Test
  void rejectsAPortOutsideTheValidRange() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessageId.decode("0A000001000100000000000000001000"));
    assertTrue(e.getMessage().contains("65536"), e.getMessage());
  }

  @Test
  void rejectsAnUnresolvedHost() {
    assertThrows(
        IllegalArgumentException.class,
        () -> MessageId.encode(InetSocketAddress.createUnresolved("nowhere.invalid", 1), 0));
  }
}
