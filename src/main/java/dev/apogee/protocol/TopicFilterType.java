package dev.apogee.protocol;

/** How a topic's messages are tagged; written as its name in JSON. */
public enum TopicFilterType {
  SINGLE_TAG,
  MULTI_TAG
}
