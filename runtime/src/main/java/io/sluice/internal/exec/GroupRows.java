package io.sluice.internal.exec;

import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;

/**
 * Turns an aggregation's groups into rows of its raw result schema (grouping columns, then the
 * aggregates' values): a group key with its buffers, or a state entry, which for a session-window
 * aggregation holds all the sessions of a key, one row each. Output modes and the state reader
 * both read groups this way, so that they show the same values.
 *
 * <p>It keeps a key reader and a buffer between calls: one per thread.
 */
final class GroupRows {
  private final AggregationPlan plan;
  private final KeyReader keys = new KeyReader();
  private final AggregateBuffer buffer;

  GroupRows(AggregationPlan plan) {
    this.plan = plan;
    this.buffer = new AggregateBuffer(plan);
  }

  /** Appends the group {@code key} with the values of {@code aggregates} to {@code out}. */
  void emit(byte[] key, AggregateBuffer aggregates, ColumnBatch out) {
    keys.reset(key, 0);
    int groupCount = plan.groupings().size();
    for (int g = 0; g < groupCount; g++) {
      keys.readInto(out.column(g), plan.groupings().get(g).type());
    }
    for (AggregateSlot a : plan.aggregates()) {
      aggregates.finish(a, out.column(groupCount + a.index()));
    }
  }

  /** Appends the groups of the state entry {@code key} → {@code value} to {@code out}. */
  void emitEntry(byte[] key, byte[] value, ColumnBatch out) {
    if (plan.hasSessionWindow()) {
      for (Sessions.Session session : Sessions.decode(value, plan)) {
        emit(Sessions.withWindow(plan, key, session.start, session.end, keys), session.buffer,
            out);
      }
      return;
    }
    buffer.decode(value);
    emit(key, buffer, out);
  }
}
