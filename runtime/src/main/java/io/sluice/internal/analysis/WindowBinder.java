package io.sluice.internal.analysis;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.IntervalText;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Binds the event-time window functions, with Spark's rules: {@code window(time, size[, slide[,
 * start]])} with constant durations, {@code session_window(time, gap)} with a constant or per-row
 * gap, and the fields {@code start} and {@code end} of a window value.
 */
final class WindowBinder {
  static final Set<String> NAMES = Set.of("window", "session_window");

  private final Binder binder;
  private final Diagnostics diagnostics;

  WindowBinder(Binder binder) {
    this.binder = binder;
    this.diagnostics = binder.diagnostics();
  }

  static boolean handles(String name) {
    return NAMES.contains(name);
  }

  Bound bind(Expr.Call c, String name) {
    return name.equals("window") ? window(c) : session(c);
  }

  private Bound window(Expr.Call c) {
    List<Expr> args = c.args();
    if (args.size() < 2 || args.size() > 4) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS, "function 'window' expects (time,"
          + " windowDuration[, slideDuration[, startTime]]) but got " + args.size()
          + " arguments", c);
    }
    Bound time = time(args.get(0), "window");
    long size = duration(args.get(1), "windowDuration");
    long slide = args.size() > 2 ? duration(args.get(2), "slideDuration") : size;
    long offset = args.size() > 3 ? duration(args.get(3), "startTime") : 0;
    if (size <= 0) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS,
          "the window duration must be positive, got " + IntervalText.format(size), args.get(1));
    }
    if (slide <= 0) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS,
          "the slide duration must be positive, got " + IntervalText.format(slide), args.get(2));
    }
    if (slide > size) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS, "the slide duration ("
          + IntervalText.format(slide) + ") must be less than or equal to the window duration ("
          + IntervalText.format(size) + ")", args.get(2));
    }
    if (Math.abs(offset) >= slide) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS, "the absolute value of the start time ("
          + IntervalText.format(offset) + ") must be less than the slide duration ("
          + IntervalText.format(slide) + ")", args.get(3));
    }
    return new Bound.TimeWindow(time, size, slide, offset);
  }

  private Bound session(Expr.Call c) {
    if (c.args().size() != 2) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS, "function 'session_window' expects"
          + " (time, gapDuration) but got " + c.args().size() + " arguments", c);
    }
    Bound time = time(c.args().get(0), "session_window");
    Expr gapExpr = c.args().get(1);
    Bound gap = binder.bind(gapExpr);
    if (gap instanceof Bound.Literal l && l.value() instanceof String text) {
      gap = new Bound.Literal(parse(text, gapExpr, "gapDuration"), DataType.INTERVAL);
    }
    if (gap.type() != DataType.INTERVAL && gap.type() != DataType.STRING) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "the gap of session_window must be an"
          + " INTERVAL or a STRING like '5 minutes', got " + gap.type().sqlName(), gapExpr);
    }
    if (gap instanceof Bound.Literal l && l.value() instanceof Long millis && millis <= 0) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS, "the gap duration must be positive, got "
          + IntervalText.format(millis), gapExpr);
    }
    return new Bound.SessionWindow(time, gap);
  }

  /** A window's time column: a TIMESTAMP, or a BIGINT of epoch milliseconds. */
  private Bound time(Expr e, String function) {
    Bound time = binder.bind(e);
    if (time.type() != DataType.TIMESTAMP && time.type() != DataType.LONG) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "the time column of " + function
          + " must be a TIMESTAMP or a BIGINT of epoch milliseconds, got "
          + time.type().sqlName(), e);
    }
    return time;
  }

  /** A constant duration: a string like {@code '10 minutes'} or an INTERVAL literal. */
  private long duration(Expr e, String what) {
    Bound d = binder.bind(e);
    if (d instanceof Bound.Literal l && l.value() instanceof String text) {
      return parse(text, e, what);
    }
    if (d instanceof Bound.Literal l && l.type() == DataType.INTERVAL) {
      return (Long) l.value();
    }
    throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS, "the " + what + " of a window must be a"
        + " constant like '10 minutes' or INTERVAL 10 MINUTES", e);
  }

  private long parse(String text, Expr at, String what) {
    try {
      return IntervalText.parseMillis(text);
    } catch (IllegalArgumentException ex) {
      throw diagnostics.error(ErrorKind.WRONG_ARGUMENTS, "invalid " + what + ": "
          + ex.getMessage(), at);
    }
  }

  /** {@code window.start} or {@code window.end}. */
  Bound field(Expr.FieldAccess f) {
    Bound struct = binder.bind(f.struct());
    return field(struct, f.field(), f);
  }

  Bound field(Bound struct, String name, Expr at) {
    if (struct.type() != DataType.WINDOW) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "cannot read field '" + name + "' of a "
          + struct.type().sqlName() + "; only window columns have fields (start, end)", at);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (!lower.equals("start") && !lower.equals("end")) {
      throw diagnostics.error(ErrorKind.UNKNOWN_COLUMN, "a window has no field '" + name
          + "'; available: start, end", at);
    }
    return new Bound.WindowField(struct, lower.equals("end"));
  }
}
