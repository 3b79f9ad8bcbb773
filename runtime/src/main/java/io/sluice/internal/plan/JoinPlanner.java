package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import io.sluice.internal.batch.ColumnBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Plans {@code join}: checks which joins Spark allows between a stream and a bounded dataset,
 * and turns one into a {@link LogicalPlan.StaticJoin} that probes the bounded side from the
 * stream's stage; a bounded left side is swapped to the right, the columns put back in order.
 */
public final class JoinPlanner {
  private JoinPlanner() {}

  /**
   * The join of {@code left} and {@code right} on {@code condition} (bound over the left's
   * columns, then the right's); {@code read} runs a bounded plan to its rows.
   */
  public static LogicalPlan plan(LogicalPlan left, LogicalPlan right, JoinType type,
      Bound condition, Function<LogicalPlan, List<ColumnBatch>> read) {
    boolean leftStream = LogicalPlan.isStreaming(left);
    boolean rightStream = LogicalPlan.isStreaming(right);
    if (leftStream && rightStream) {
      return streamJoin(left, right, type, condition);
    }
    if (rightStream) {
      checkStaticLeft(type);
      return swapped(left, right, type, condition, read);
    }
    if (leftStream) {
      checkStaticRight(type);
    } else if (type == JoinType.RIGHT_OUTER || type == JoinType.FULL_OUTER) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, type.sparkName() + " joins of"
          + " two bounded datasets are not supported yet");
    }
    JoinCondition keys = JoinCondition.split(condition, left.schema().size())
        .requireKeys("a join with a bounded dataset");
    return new LogicalPlan.StaticJoin(left, right, type, keys.leftKeys(), keys.rightKeys(),
        keys.residual(), side(right, keys.rightKeys(), read));
  }

  /**
   * A join of two streams: a union of both inputs, each row padded to the layout of {@link
   * StreamJoinPlan} (its side, the key, the left's columns, the right's), feeds the join
   * operator; what the condition says beyond the key is a filter on the joined rows.
   */
  private static LogicalPlan streamJoin(LogicalPlan left, LogicalPlan right, JoinType type,
      Bound condition) {
    if (type == JoinType.LEFT_ANTI) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "LeftAnti joins with a"
          + " streaming DataFrame/Dataset on the right are not supported");
    }
    refuseStateBefore(left, "left");
    refuseStateBefore(right, "right");
    Schema ls = left.schema();
    Schema rs = right.schema();
    int nl = ls.size();
    // Rows are stored by key, so a window may be a key part: Spark evicts by its end.
    JoinCondition keys = JoinCondition.split(condition, nl, true);
    if (keys.leftKeys().isEmpty()) {
      // Spark's planner refuses it the same way.
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "Stream-stream join without"
          + " equality predicate is not supported");
    }
    List<DataType> keyTypes = keys.leftKeys().stream().map(Bound::type).toList();
    LogicalPlan padLeft = padded(withoutNullKeys(left, keys.leftKeys(),
        type.keepsUnmatchedLeft()), 0, keys.leftKeys(), ls, rs, true);
    LogicalPlan padRight = padded(withoutNullKeys(right, keys.rightKeys(),
        type.keepsUnmatchedRight()), 1, keys.rightKeys(), ls, rs, false);
    LogicalPlan.Union union = new LogicalPlan.Union(List.of(padLeft, padRight),
        padLeft.schema());
    List<LogicalPlan> leftChain = chain(left);
    List<LogicalPlan> rightChain = chain(right);
    int leftTime = eventTime(leftChain);
    int rightTime = eventTime(rightChain);
    int both = leftTime < 0 ? -1 : leftTime;
    int rightInBoth = rightTime < 0 ? -1 : nl + rightTime;
    int eventTimeKey = JoinStateWatermarks.eventTimeKey(keys.leftKeys(), marked(leftChain),
        keys.rightKeys(), marked(rightChain));
    StateEviction leftEviction = JoinStateWatermarks.of(keys.leftKeys(), eventTimeKey, both,
        rightInBoth, keys.residual());
    StateEviction rightEviction = JoinStateWatermarks.of(keys.rightKeys(), eventTimeKey,
        rightInBoth, both, keys.residual());
    checkWatermarks(type, eventTimeKey >= 0, nl, rs.size(), both, rightInBoth, keys.residual());
    int start = 1 + keyTypes.size();
    StreamJoinPlan plan = new StreamJoinPlan(union.schema(), type.schema(ls, rs), type, keyTypes,
        keyNames(keys.leftKeys()), keyNames(keys.rightKeys()), ls, rs,
        leftTime < 0 ? -1 : start + leftTime, rightTime < 0 ? -1 : start + nl + rightTime,
        leftEviction, rightEviction, keys.residual());
    return new LogicalPlan.StreamJoin(union, plan);
  }

  /**
   * The names of a side's key parts: the side's column that a part is, else {@code field<i>}, as
   * Spark names the fields of a join's state key; a column used twice names only its first part.
   */
  private static List<String> keyNames(List<Bound> keys) {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      names.add(keys.get(k) instanceof Bound.Column c && !names.contains(c.name()) ? c.name()
          : "field" + k);
    }
    return names;
  }

  /**
   * Spark's rule for outer and semi joins of two streams: the side kept until it can match no
   * more must be bounded, by an event-time key or by a range condition on the other side's
   * watermark; a full outer join needs one side so.
   */
  private static void checkWatermarks(JoinType type, boolean keyIsEventTime, int nl, int nr,
      int leftTime, int rightTime, @org.jspecify.annotations.Nullable Bound residual) {
    boolean left = JoinStateWatermarks.bounded(keyIsEventTime, 0, nl, rightTime, residual);
    boolean right = JoinStateWatermarks.bounded(keyIsEventTime, nl, nl + nr, leftTime, residual);
    boolean ok = switch (type) {
      case LEFT_OUTER, LEFT_SEMI -> left;
      case RIGHT_OUTER -> right;
      case FULL_OUTER -> left || right;
      default -> true;
    };
    if (!ok) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "Stream-stream "
          + type.sparkName() + " join between two streaming DataFrame/Datasets is not supported"
          + " without a watermark in the join keys, or a watermark on the nullable side and an"
          + " appropriate range condition");
    }
  }

  /**
   * Refuses an input that holds state of its own: Spark (3.4 on) runs an aggregation,
   * deduplication or another join before a join in Append mode, but one query here has one
   * stateful operator before its aggregation.
   */
  private static void refuseStateBefore(LogicalPlan input, String side) {
    for (LogicalPlan node = input; !node.children().isEmpty(); node = node.children().get(0)) {
      String operator = node instanceof LogicalPlan.StreamJoin ? "a stream-stream join"
          : node instanceof LogicalPlan.Aggregate ? "an aggregation"
          : node instanceof LogicalPlan.Deduplicate ? "dropDuplicates"
          : node instanceof LogicalPlan.GroupsWithState ? "[flat]mapGroupsWithState"
          : node instanceof LogicalPlan.TransformWithState ? "transformWithState" : null;
      if (operator != null) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "the " + side + " side of"
            + " this stream-stream join comes from " + operator + "; Sluice does not chain a"
            + " stateful operator into a stream-stream join yet (Spark does in Append mode)."
            + " Join first, then aggregate the joined rows");
      }
    }
  }

  /**
   * The input without its rows whose key has a null part, unless the join keeps the side's rows
   * that match nothing: such a row can meet no row. Spark's optimizer infers the same filter;
   * as it reads no event time it goes below the watermark, so those rows neither move the
   * watermark nor count as late.
   */
  private static LogicalPlan withoutNullKeys(LogicalPlan input, List<Bound> keys,
      boolean keepsUnmatched) {
    Bound notNull = null;
    for (Bound k : keys) {
      if (k.nullable()) {
        notNull = JoinCondition.and(notNull, new Bound.IsNull(k, true));
      }
    }
    return keepsUnmatched || notNull == null ? input : new LogicalPlan.Filter(input, notNull);
  }

  /** One input's rows as the union's: side, key, the left's columns, the right's. */
  private static LogicalPlan padded(LogicalPlan input, int side, List<Bound> keys, Schema ls,
      Schema rs, boolean isLeft) {
    List<NamedExpression> columns = new ArrayList<>();
    columns.add(new NamedExpression("__side", new Bound.Literal(side, DataType.INT)));
    for (int k = 0; k < keys.size(); k++) {
      columns.add(new NamedExpression("__key" + k, keys.get(k)));
    }
    for (int p = 0; p < 2; p++) {
      Schema part = p == 0 ? ls : rs;
      boolean own = (p == 0) == isLeft;
      for (int i = 0; i < part.size(); i++) {
        Field f = part.field(i);
        columns.add(new NamedExpression(f.name(), own
            ? new Bound.Column(i, f.name(), f.type(), f.nullable())
            : new Bound.Literal(null, f.type())));
      }
    }
    return new LogicalPlan.Project(input, columns);
  }

  /** The operators from the input's source up to it. */
  private static List<LogicalPlan> chain(LogicalPlan input) {
    List<LogicalPlan> chain = new ArrayList<>();
    for (LogicalPlan node = input; !node.children().isEmpty(); node = node.children().get(0)) {
      chain.add(0, node);
    }
    return chain;
  }

  /**
   * The input's event-time column (the one its {@code withWatermark} names), else a window
   * projected from it, by which late rows are judged; -1 for neither.
   */
  private static int eventTime(List<LogicalPlan> chain) {
    return EventTimeColumns.of(java.util.Set.of(), chain).stream().min(Integer::compare)
        .or(() -> EventTimeColumns.windowsOf(chain).stream().min(Integer::compare))
        .orElse(-1);
  }

  /** Whether a column of the input carries the watermark: an event time or a window over one. */
  private static java.util.function.IntPredicate marked(List<LogicalPlan> chain) {
    java.util.Set<Integer> times = EventTimeColumns.of(java.util.Set.of(), chain);
    java.util.Set<Integer> windows = EventTimeColumns.windowsOf(chain);
    return column -> times.contains(column) || windows.contains(column);
  }

  // The messages are Spark's (UnsupportedOperationChecker).
  private static void checkStaticRight(JoinType type) {
    if (type == JoinType.RIGHT_OUTER) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "RightOuter join with a"
          + " streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right"
          + " not supported");
    }
    if (type == JoinType.FULL_OUTER) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "FullOuter joins with"
          + " streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the"
          + " right is not supported");
    }
  }

  private static void checkStaticLeft(JoinType type) {
    switch (type) {
      case LEFT_OUTER, LEFT_SEMI -> throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          type.sparkName() + " join with a streaming DataFrame/Dataset on the right and a static"
              + " DataFrame/Dataset on the left is not supported");
      case LEFT_ANTI -> throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "LeftAnti"
          + " joins with a streaming DataFrame/Dataset on the right are not supported");
      case FULL_OUTER -> throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "FullOuter"
          + " joins with streaming DataFrames/Datasets on the right and a static"
          + " DataFrame/Dataset on the left is not supported");
      default -> { }
    }
  }

  /**
   * A bounded {@code left} and a streaming {@code right} (inner or right outer): the stream
   * probes the bounded side as the left of an inner or left outer join, and a projection puts
   * the bounded side's columns first again.
   */
  private static LogicalPlan swapped(LogicalPlan left, LogicalPlan right, JoinType type,
      Bound condition, Function<LogicalPlan, List<ColumnBatch>> read) {
    int nl = left.schema().size();
    int nr = right.schema().size();
    Bound flipped = BoundRewriter.rewrite(condition, node -> node instanceof Bound.Column c
        ? new Bound.Column(c.ordinal() < nl ? c.ordinal() + nr : c.ordinal() - nl, c.name(),
            c.type(), c.nullable()) : null);
    JoinType probe = type == JoinType.RIGHT_OUTER ? JoinType.LEFT_OUTER : JoinType.INNER;
    JoinCondition keys = JoinCondition.split(flipped, nr)
        .requireKeys("a join with a bounded dataset");
    LogicalPlan join = new LogicalPlan.StaticJoin(right, left, probe, keys.leftKeys(),
        keys.rightKeys(), keys.residual(), side(left, keys.rightKeys(), read));
    Schema joined = join.schema();
    List<NamedExpression> columns = new ArrayList<>();
    for (int i = 0; i < nl + nr; i++) {
      int from = i < nl ? nr + i : i - nl;
      Field f = joined.field(from);
      columns.add(new NamedExpression(f.name(), new Bound.Column(from, f.name(), f.type(),
          f.nullable())));
    }
    return new LogicalPlan.Project(join, columns);
  }

  /** The bounded side, read with its key columns first. */
  private static StaticSide side(LogicalPlan bounded, List<Bound> keys,
      Function<LogicalPlan, List<ColumnBatch>> read) {
    Schema columns = bounded.schema();
    List<NamedExpression> keyed = new ArrayList<>();
    List<DataType> keyTypes = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      keyed.add(new NamedExpression("__key" + k, keys.get(k)));
      keyTypes.add(keys.get(k).type());
    }
    for (int i = 0; i < columns.size(); i++) {
      Field f = columns.field(i);
      keyed.add(new NamedExpression(f.name(), new Bound.Column(i, f.name(), f.type(),
          f.nullable())));
    }
    LogicalPlan withKeys = new LogicalPlan.Project(bounded, keyed);
    return new StaticSide(() -> read.apply(withKeys), keyTypes, bounded);
  }
}
