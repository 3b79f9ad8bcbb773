package io.sluice.crash;

/** One input record of the crash harness: an amount paid under a key. */
public record Payment(String key, long amount) {

  /** The record as one line of a JSON-lines input file. */
  String json() {
    return "{\"key\":\"" + key + "\",\"amount\":" + amount + "}";
  }
}
