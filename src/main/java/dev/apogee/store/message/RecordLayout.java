package dev.apogee.store.message;

/**
 * Byte positions of RocketMQ's stored-message record (protocol doc section 3.3), shared by the
 * encoder, the decoder, the commit log (which patches offsets and the store time in place) and
 * recovery. All integers are big-endian.
 *
 * <pre>
 *  0 TOTALSIZE int     4 MAGICCODE int     8 BODYCRC int      12 QUEUEID int    16 FLAG int
 * 20 QUEUEOFFSET long 28 PHYSICALOFFSET long                  36 SYSFLAG int
 * 40 BORNTIMESTAMP long                    48 BORNHOST 8 (IPv4) or 20 (IPv6) bytes
 *    STORETIMESTAMP long, STOREHOSTADDRESS 8 or 20, RECONSUMETIMES int,
 *    PREPAREDTRANSACTIONOFFSET long, BODY int length + bytes, TOPIC byte (V1) or short (V2)
 *    length + bytes, PROPERTIES short length + bytes
 * </pre>
 */
public final class RecordLayout {
  private RecordLayout() {}

  /** Magic of a record whose topic length is one byte (0xDAA320A7). */
  public static final int MAGIC_V1 = 0xDAA320A7;

  /** Magic of a record whose topic length is two bytes, for topics over 127 bytes (0xDAA320AB). */
  public static final int MAGIC_V2 = 0xDAA320AB;

  /** Magic of the blank record that fills the tail of a commit log file (0xCBD43194). */
  public static final int MAGIC_BLANK = 0xCBD43194;

  /** A blank record is the total size (int) and its magic (int). */
  public static final int BLANK_MIN_LENGTH = 8;

  public static final int POS_TOTAL_SIZE = 0;
  public static final int POS_MAGIC = 4;
  public static final int POS_BODY_CRC = 8;
  public static final int POS_QUEUE_ID = 12;
  public static final int POS_FLAG = 16;
  public static final int POS_QUEUE_OFFSET = 20;
  public static final int POS_PHYSICAL_OFFSET = 28;
  public static final int POS_SYS_FLAG = 36;
  public static final int POS_BORN_TIMESTAMP = 40;
  public static final int POS_BORN_HOST = 48;

  /** Message sysFlag bits (protocol doc 3.2). */
  public static final int FLAG_COMPRESSED = 0x1;

  public static final int FLAG_MULTI_TAGS = 0x2;
  public static final int TRANSACTION_TYPE_MASK = 0xC;
  public static final int TRANSACTION_NOT_TYPE = 0x0;
  public static final int TRANSACTION_PREPARED_TYPE = 0x4;
  public static final int TRANSACTION_COMMIT_TYPE = 0x8;
  public static final int TRANSACTION_ROLLBACK_TYPE = 0xC;
  public static final int FLAG_BORNHOST_V6 = 0x10;
  public static final int FLAG_STOREHOST_V6 = 0x20;

  /** Longest topic with a one-byte length (V1 magic). */
  public static final int MAX_TOPIC_LENGTH_V1 = 127;

  /** Longest properties string: its length is a signed short. */
  public static final int MAX_PROPERTIES_LENGTH = Short.MAX_VALUE;

  public static int bornHostLength(int sysFlag) {
    return (sysFlag & FLAG_BORNHOST_V6) == 0 ? 8 : 20;
  }

  public static int storeHostLength(int sysFlag) {
    return (sysFlag & FLAG_STOREHOST_V6) == 0 ? 8 : 20;
  }

  public static int posStoreTimestamp(int sysFlag) {
    return POS_BORN_HOST + bornHostLength(sysFlag);
  }

  public static int posStoreHost(int sysFlag) {
    return posStoreTimestamp(sysFlag) + 8;
  }

  public static int posReconsumeTimes(int sysFlag) {
    return posStoreHost(sysFlag) + storeHostLength(sysFlag);
  }

  public static int posPreparedTransactionOffset(int sysFlag) {
    return posReconsumeTimes(sysFlag) + 4;
  }

  public static int posBodyLength(int sysFlag) {
    return posPreparedTransactionOffset(sysFlag) + 8;
  }

  /** Whole record length for the given variable parts. */
  public static int recordLength(int sysFlag, int bodyLength, int topicLength, int propsLength) {
    int topicLenBytes = topicLength > MAX_TOPIC_LENGTH_V1 ? 2 : 1;
    return posBodyLength(sysFlag) + 4 + bodyLength + topicLenBytes + topicLength + 2 + propsLength;
  }

  /** Transaction type bits of a sysFlag. */
  public static int transactionType(int sysFlag) {
    return sysFlag & TRANSACTION_TYPE_MASK;
  }
}
