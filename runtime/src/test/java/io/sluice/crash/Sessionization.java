package io.sluice.crash;

import io.sluice.api.GroupState;
import java.util.Iterator;
import java.util.List;

/**
 * The timers kind's state function, for {@code flatMapGroupsWithState} with an event-time
 * timeout: a key's payments gather in its open session, which times out {@link
 * CrashKind#SESSION_GAP_MILLIS} after its last payment's event time; when the watermark passes
 * that, the session is emitted and its state removed, so the key's next payment opens a new one.
 */
final class Sessionization {
  private Sessionization() {}

  static Iterable<ClosedSession> call(String key, Iterator<Payment> payments,
      GroupState<OpenSession> state) {
    if (state.hasTimedOut()) {
      ClosedSession closed = state.get().close(key);
      state.remove();
      return List.of(closed);
    }
    OpenSession session = state.getOption().orElse(null);
    while (payments.hasNext()) {
      Payment p = payments.next();
      session = session == null ? OpenSession.of(p) : session.plus(p);
    }
    state.update(session);
    state.setTimeoutTimestamp(session.lastTime() + CrashKind.SESSION_GAP_MILLIS);
    return List.of();
  }
}
