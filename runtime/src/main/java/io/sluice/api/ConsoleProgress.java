package io.sluice.api;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A listener that shows how long-running queries are doing as one line on the console: the
 * query, its last batch, the rows read so far, the rows per second it processes, its watermark and
 * the rows its state holds.
 *
 * <pre>{@code
 * Sluice engine = Sluice.builder().listener(ConsoleProgress.create()).build();
 * // views: batch 41 | 4,200,000 rows | 1,250,000 rows/s | watermark 2024-01-01T00:06:50.000Z | state 7,000 rows
 * }</pre>
 *
 * <p>On a terminal the line is rewritten in place; written to a file or a pipe, where that would
 * pile up, a new line comes every few seconds instead. Several queries share the line, each batch
 * showing its own. When a query stops, its last line stays.
 */
public final class ConsoleProgress implements StreamingQueryListener {
  /** How often a line rewritten in place changes at most: faster is a blur. */
  private static final Duration REDRAW = Duration.ofMillis(100);

  private final PrintStream out;
  private final boolean inPlace;
  private final long everyMillis;
  private final Clock clock;
  private final Map<UUID, Long> rowsByRun = new HashMap<>();
  /** Each query's last line, while it has not been shown. */
  private final Map<UUID, String> unshown = new HashMap<>();
  private long lastShownMillis = Long.MIN_VALUE;
  private int shownLength;

  private ConsoleProgress(PrintStream out, boolean inPlace, Duration every, Clock clock) {
    this.out = out;
    this.inPlace = inPlace;
    this.everyMillis = every.toMillis();
    this.clock = clock;
  }

  /**
   * On standard error, so that it stays apart from what a query prints: rewritten in place when
   * the JVM has a terminal, otherwise a line every 5 seconds.
   */
  public static ConsoleProgress create() {
    return System.console() != null ? inPlace(System.err, Clock.system())
        : everyInterval(System.err, Duration.ofSeconds(5), Clock.system());
  }

  /** One line on {@code out}, rewritten with a carriage return at most ten times a second. */
  public static ConsoleProgress inPlace(PrintStream out, Clock clock) {
    return new ConsoleProgress(out, true, REDRAW, clock);
  }

  /** A new line on {@code out} at the first batch, then at most once per {@code every}. */
  public static ConsoleProgress everyInterval(PrintStream out, Duration every, Clock clock) {
    return new ConsoleProgress(out, false, every, clock);
  }

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    long rows = rowsByRun.merge(p.runId(), p.numInputRows(), Long::sum);
    String line = line(p, rows);
    long now = clock.millis();
    if (lastShownMillis == Long.MIN_VALUE || now - lastShownMillis >= everyMillis) {
      lastShownMillis = now;
      unshown.remove(p.runId());
      show(line);
    } else {
      unshown.put(p.runId(), line);
    }
  }

  /** The query's last line is shown if it was not, and stays: on a terminal, ended. */
  @Override
  public synchronized void onQueryTerminated(QueryTerminatedEvent event) {
    rowsByRun.remove(event.runId());
    String last = unshown.remove(event.runId());
    if (last != null) {
      show(last);
    }
    if (inPlace && shownLength > 0) {
      out.println();
      shownLength = 0;
    }
  }

  private void show(String line) {
    if (inPlace) {
      // Spaces cover what a longer line before left on the terminal.
      out.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
      shownLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The line for a batch, {@code rows} being what the query read so far. */
  static String line(StreamingQueryProgress p, long rows) {
    StringBuilder line = new StringBuilder(p.name()).append(": batch ").append(p.batchId())
        .append(String.format(Locale.ROOT, " | %,d rows | %,.0f rows/s", rows,
            p.processedRowsPerSecond()));
    String watermark = p.eventTime().get("watermark");
    if (watermark != null) {
      line.append(" | watermark ").append(watermark);
    }
    if (!p.stateOperators().isEmpty()) {
      long stateRows = p.stateOperators().stream()
          .mapToLong(StateOperatorProgress::numRowsTotal).sum();
      line.append(String.format(Locale.ROOT, " | state %,d rows", stateRows));
    }
    return line.toString();
  }
}
