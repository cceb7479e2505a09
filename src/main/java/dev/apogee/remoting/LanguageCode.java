package dev.apogee.remoting;

/**
 * The sender's language in a command header (protocol 1.6): one byte in the ROCKETMQ header, the
 * constant's name in the JSON header. Unknown values decode as {@link #OTHER}.
 *
 * <p>Immutable; safe from any thread.
 */
public enum LanguageCode {
  JAVA(0),
  CPP(1),
  DOTNET(2),
  PYTHON(3),
  DELPHI(4),
  ERLANG(5),
  RUBY(6),
  OTHER(7),
  HTTP(8),
  GO(9),
  PHP(10),
  OMS(11),
  RUST(12),
  NODE_JS(13);

  private static final LanguageCode[] BY_CODE = values();

  private final byte code;

  LanguageCode(int code) {
    this.code = (byte) code;
  }

  /** The byte written in the ROCKETMQ header. */
  public byte code() {
    return code;
  }

  /** The language with this byte code, or {@link #OTHER} when the code is unknown. */
  public static LanguageCode fromCode(int code) {
    // The constants are declared in code order starting at 0.
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : OTHER;
  }

  /** The language with this JSON name, or {@link #OTHER} when the name is unknown. */
  public static LanguageCode fromName(String name) {
    for (LanguageCode c : BY_CODE) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return OTHER;
  }
}
