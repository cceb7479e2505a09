package dev.apogee;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Writes {@code yyyy-MM-dd HH:mm:ss.SSS LEVEL Logger [thread] message} and the stack trace when
 * there is one: the line {@code conf/logback.xml} describes with a pattern, built directly instead
 * of through logback's pattern parser, which is a measurable part of start-up. Stateless, so safe
 * for concurrent appenders.
 */
final class LogLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NONE = new byte[0];
  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    StringBuilder sb = new StringBuilder(64 + (message == null ? 4 : message.length()));
    appendTime(sb, event.getTimeStamp());
    sb.append(' ');
    String level = event.getLevel().toString();
    sb.append(level);
    for (int i = level.length(); i < 5; i++) {
      sb.append(' ');
    }
    sb.append(' ');
    String logger = event.getLoggerName();
    sb.append(logger, logger.lastIndexOf('.') + 1, logger.length());
    sb.append(" [").append(event.getThreadName()).append("] ").append(message);
    sb.append(System.lineSeparator());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      sb.append(ThrowableProxyUtil.asString(thrown)).append(System.lineSeparator());
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void appendTime(StringBuilder sb, long epochMillis) {
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
    sb.append(t.getYear()).append('-');
    pad2(sb, t.getMonthValue());
    sb.append('-');
    pad2(sb, t.getDayOfMonth());
    sb.append(' ');
    pad2(sb, t.getHour());
    sb.append(':');
    pad2(sb, t.getMinute());
    sb.append(':');
    pad2(sb, t.getSecond());
    sb.append('.');
    int ms = (int) Math.floorMod(epochMillis, 1000L);
    if (ms < 100) {
      sb.append('0');
    }
    pad2(sb, ms);
  }

  private static void pad2(StringBuilder sb, int v) {
    if (v < 10) {
      sb.append('0');
    }
    sb.append(v);
  }
}
