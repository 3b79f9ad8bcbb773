package io.sluice.crash;

/**
 * One input record of the crash harness: an amount paid under a key, with an id that only a
 * deliberate copy repeats and an event time in epoch milliseconds.
 */
public record Payment(String key, long amount, long id, long time) {

  /** The record as one line of a JSON-lines input file. */
  String json() {
    return "{\"key\":\"" + key + "\",\"amount\":" + amount + ",\"id\":" + id + ",\"time\":" + time
        + "}";
  }
}
