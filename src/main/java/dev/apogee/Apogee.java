package dev.apogee;

/** Entry point. */
public final class Apogee {
  private Apogee() {}

  public static void main(String[] args) {}
}
