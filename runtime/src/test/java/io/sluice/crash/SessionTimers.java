package io.sluice.crash;

import io.sluice.api.ExpiredTimerInfo;
import io.sluice.api.ListState;
import io.sluice.api.OutputMode;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import io.sluice.api.ValueState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The processor-timers kind's {@link StatefulProcessor}, for {@code transformWithState} in event
 * time: a key's payments gather in a list state, and a value state holds the one event-time timer
 * the key has, at its latest payment's time plus {@link CrashKind#SESSION_GAP_MILLIS}. Each batch
 * with rows for the key moves the timer (deletes the old one, registers the new one) if its
 * payments are later; when the watermark reaches the timer, the session is emitted and both states
 * cleared, so that the key's next payment opens a new session.
 *
 * <p>Nothing is emitted for input rows: every output row comes from a timer firing, and names
 * that timer, so that the committed output shows each timer's firing exactly once or not.
 */
final class SessionTimers extends StatefulProcessor<String, Payment, TimedSession> {
  private ValueState<Long> timer;
  private ListState<Payment> payments;

  @Override
  public void init(OutputMode outputMode, TimeMode timeMode) {
    timer = getHandle().getValueState("timer", Long.class);
    payments = getHandle().getListState("payments", Payment.class);
  }

  @Override
  public Iterable<TimedSession> handleInputRows(String key, Iterator<Payment> rows,
      TimerValues timerValues) {
    List<Payment> added = new ArrayList<>();
    rows.forEachRemaining(added::add);
    payments.appendList(added);
    long latest = added.stream().mapToLong(Payment::time).max().orElseThrow();
    moveTimer(latest + CrashKind.SESSION_GAP_MILLIS);
    return List.of();
  }

  /** Keeps one timer, the later of the registered one and {@code due}. */
  private void moveTimer(long due) {
    Long registered = timer.get();
    if (registered != null && registered >= due) {
      return;
    }
    if (registered != null) {
      getHandle().deleteTimer(registered);
    }
    getHandle().registerTimer(due);
    timer.update(due);
  }

  @Override
  public Iterable<TimedSession> handleExpiredTimer(String key, TimerValues timerValues,
      ExpiredTimerInfo expiredTimerInfo) {
    List<Payment> session = new ArrayList<>();
    payments.get().forEachRemaining(session::add);
    payments.clear();
    timer.clear();
    return List.of(TimedSession.of(key, expiredTimerInfo.getExpiryTimeInMs(), session));
  }
}
