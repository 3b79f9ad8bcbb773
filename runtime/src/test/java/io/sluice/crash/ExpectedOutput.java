package io.sluice.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What each kind's query must have written, computed in plain Java from the payments (for the
 * join, the impressions and clicks) the harness wrote, independently of the engine.
 */
final class ExpectedOutput {
  private ExpectedOutput() {}

  /**
   * The rows a kind that writes to the JSON file sink must have committed, shaped as {@link
   * CommittedOutput#rows} reads them, with how often each occurs.
   */
  static Map<List<Object>, Long> rows(CrashKind kind, List<Payment> payments) {
    return switch (kind) {
      case STATELESS -> filtered(payments);
      case WINDOWED -> windows(payments);
      case DEDUP -> distinct(payments);
      case TIMERS -> sessions(payments);
      case PROCESSOR_TIMERS -> timedSessions(payments);
      case UPDATE, COMPLETE -> throw new IllegalArgumentException(kind + " writes batch files");
      case JOIN -> throw new IllegalArgumentException(kind + " reads impressions and clicks");
      case KAFKA -> throw new IllegalArgumentException(kind + " reads records: see KafkaInput");
    };
  }

  /**
   * The join kind's rows, {@code [key, impression id, impression time, click id, click time]}:
   * each impression with each click of its key from its time to {@link
   * CrashKind#JOIN_WINDOW_MILLIS} later, once, as nothing is late; and each impression no click
   * matched once, with nulls for the click, if the final watermark let it go: as Spark derives
   * from the condition, once the impression's time plus the window is before the watermark.
   * Impressions still kept at the end appear not at all.
   *
   * <p>The final watermark is the lower of the two sides' latest event times less the delay, as
   * the input makes it: each side's last file ends with its latest event (see {@link
   * JoinInputWriter#writeLastFile}), which the last run reads.
   */
  static Map<List<Object>, Long> joined(List<AdEvent> impressions, List<AdEvent> clicks) {
    long watermark = Math.min(latest(impressions), latest(clicks))
        - CrashKind.WATERMARK_DELAY_MILLIS;
    Map<String, List<AdEvent>> clicksByKey = new HashMap<>();
    clicks.forEach(c -> clicksByKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c));
    Map<List<Object>, Long> rows = new HashMap<>();
    for (AdEvent shown : impressions) {
      long from = shown.time().toEpochMilli();
      boolean matched = false;
      for (AdEvent click : clicksByKey.getOrDefault(shown.key(), List.of())) {
        long at = click.time().toEpochMilli();
        if (at >= from && at <= from + CrashKind.JOIN_WINDOW_MILLIS) {
          rows.merge(joinedRow(shown, click), 1L, Long::sum);
          matched = true;
        }
      }
      if (!matched && from + CrashKind.JOIN_WINDOW_MILLIS < watermark) {
        rows.merge(joinedRow(shown, null), 1L, Long::sum);
      }
    }
    return rows;
  }

  /** A row of the join, with nulls for a click that is not there. */
  static List<Object> joinedRow(AdEvent shown, @Nullable AdEvent click) {
    return Arrays.asList(shown.key(), shown.id(), shown.time().toEpochMilli(),
        click == null ? null : click.id(), click == null ? null : click.time().toEpochMilli());
  }

  private static long latest(List<AdEvent> events) {
    return events.stream().mapToLong(e -> e.time().toEpochMilli()).max().orElse(0);
  }

  /** The stateless query's rows, {@code [key, amount]}. */
  private static Map<List<Object>, Long> filtered(List<Payment> payments) {
    Map<List<Object>, Long> rows = new HashMap<>();
    for (Payment p : payments) {
      if (p.amount() % CrashKind.DROPPED_DIVISOR != 0) {
        rows.merge(List.of(p.key(), p.amount()), 1L, Long::sum);
      }
    }
    return rows;
  }

  /**
   * The window aggregation's rows, {@code [window start, window end, key, count, sum]}: each
   * window the final watermark (the latest event time less the delay) has passed, once, with all
   * its payments, as none is late; windows still open at the end appear not at all.
   */
  static Map<List<Object>, Long> windows(List<Payment> payments) {
    long watermark = payments.stream().mapToLong(Payment::time).max().orElse(0)
        - CrashKind.WATERMARK_DELAY_MILLIS;
    Map<List<Object>, Totals> totals = new HashMap<>();
    for (Payment p : payments) {
      long start = Math.floorDiv(p.time(), CrashKind.WINDOW_MILLIS) * CrashKind.WINDOW_MILLIS;
      long end = start + CrashKind.WINDOW_MILLIS;
      // As Spark, a window closes once the watermark reaches its end.
      if (end <= watermark) {
        totals.merge(List.of(start, end, p.key()), new Totals(1, p.amount()), Totals::plus);
      }
    }
    Map<List<Object>, Long> rows = new HashMap<>();
    totals.forEach((window, t) -> rows.put(
        List.of(window.get(0), window.get(1), window.get(2), t.count(), t.sum()), 1L));
    return rows;
  }

  /** The deduplication's rows, {@code [id, time, key, amount]}: each distinct payment once. */
  static Map<List<Object>, Long> distinct(List<Payment> payments) {
    Map<List<Object>, Long> rows = new HashMap<>();
    for (Payment p : payments) {
      rows.put(List.of(p.id(), p.time(), p.key(), p.amount()), 1L);
    }
    return rows;
  }

  /**
   * The sessionization's rows, {@code [key, first time, last time, count, sum]}: each session (see
   * {@link #sessionsOf}) whose timeout, its last time plus the gap, is before the final watermark
   * (the latest event time less the delay), once, with all its payments, as none is late; as Spark,
   * an event-time timeout fires once the watermark is past it. Sessions still open at the end
   * appear not at all.
   */
  static Map<List<Object>, Long> sessions(List<Payment> payments) {
    long watermark = finalWatermark(payments);
    Map<List<Object>, Long> rows = new HashMap<>();
    sessionsOf(payments).forEach((key, sessions) -> {
      for (List<Payment> session : sessions) {
        if (lastTime(session) + CrashKind.SESSION_GAP_MILLIS < watermark) {
          rows.merge(List.of(key, firstTime(session), lastTime(session),
              (long) session.size(), sum(session)), 1L, Long::sum);
        }
      }
    });
    return rows;
  }

  /**
   * The processor-timers kind's rows, {@code [key, timer, first time, last time, count, sum]}: each
   * session (see {@link #sessionsOf}) whose timer, its last time plus the gap, the final watermark
   * has reached, once, with all its payments; as Spark 4, a timer fires once the watermark is at
   * or past it. Sessions still open at the end appear not at all: with the input's last payment
   * (see {@link InputWriter#FLUSH_KEY}) that is only the flush key's.
   */
  static Map<List<Object>, Long> timedSessions(List<Payment> payments) {
    long watermark = finalWatermark(payments);
    Map<List<Object>, Long> rows = new HashMap<>();
    sessionsOf(payments).forEach((key, sessions) -> {
      for (List<Payment> session : sessions) {
        long timer = lastTime(session) + CrashKind.SESSION_GAP_MILLIS;
        if (timer <= watermark) {
          rows.merge(List.of(key, timer, firstTime(session), lastTime(session),
              (long) session.size(), sum(session)), 1L, Long::sum);
        }
      }
    });
    return rows;
  }

  /**
   * Each key's payments in time order, split where two follow each other by more than the session
   * gap (the input's bursts, see {@link InputWriter}).
   */
  static Map<String, List<List<Payment>>> sessionsOf(List<Payment> payments) {
    Map<String, List<Payment>> byKey = new HashMap<>();
    payments.forEach(p -> byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p));
    Map<String, List<List<Payment>>> sessions = new HashMap<>();
    byKey.forEach((key, all) -> {
      all.sort(Comparator.comparingLong(Payment::time));
      List<List<Payment>> split = new ArrayList<>();
      List<Payment> session = new ArrayList<>();
      for (Payment p : all) {
        if (!session.isEmpty() && p.time() - lastTime(session) > CrashKind.SESSION_GAP_MILLIS) {
          split.add(session);
          session = new ArrayList<>();
        }
        session.add(p);
      }
      split.add(session);
      sessions.put(key, split);
    });
    return sessions;
  }

  /** The watermark after the last batch: the latest event time less the delay. */
  private static long finalWatermark(List<Payment> payments) {
    return payments.stream().mapToLong(Payment::time).max().orElse(0)
        - CrashKind.WATERMARK_DELAY_MILLIS;
  }

  /** A session's payments are in time order. */
  private static long firstTime(List<Payment> session) {
    return session.get(0).time();
  }

  private static long lastTime(List<Payment> session) {
    return session.get(session.size() - 1).time();
  }

  private static long sum(List<Payment> session) {
    return session.stream().mapToLong(Payment::amount).sum();
  }

  /** The aggregations' final count and sum per key. */
  static Map<String, Totals> totals(List<Payment> payments) {
    Map<String, Totals> totals = new HashMap<>();
    for (Payment p : payments) {
      totals.merge(p.key(), new Totals(1, p.amount()), Totals::plus);
    }
    return totals;
  }
}
