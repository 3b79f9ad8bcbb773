package io.sluice.crash;

import java.time.Instant;

/**
 * One input record of the join kind: an ad shown (an impression, the join's left side) or clicked
 * (a click, its right side) under a key, with an id no other event of either side has, at an
 * event time.
 */
public record AdEvent(String key, long id, Instant time) {

  /** The record as one line of a JSON-lines input file, the time as ISO-8601 text. */
  String json() {
    return "{\"key\":\"" + key + "\",\"id\":" + id + ",\"time\":\"" + time + "\"}";
  }
}
