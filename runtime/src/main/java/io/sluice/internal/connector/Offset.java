package io.sluice.internal.connector;

/** A position in a source, serializable to JSON for the offset log and progress. */
public interface Offset {
  String json();
}
