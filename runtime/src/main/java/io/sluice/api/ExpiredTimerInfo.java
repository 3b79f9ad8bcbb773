package io.sluice.api;

/** The timer that fired, handed to {@link StatefulProcessor#handleExpiredTimer}. */
public interface ExpiredTimerInfo {
  /** The time the timer was registered for, in epoch ms. */
  long getExpiryTimeInMs();
}
