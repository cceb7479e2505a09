package dev.apogee.store;

/** A payload-free wake-up sent on the bus. */
enum Signal {
  WAKE
}
