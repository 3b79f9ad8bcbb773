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
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a join of two streams is not"
          + " supported yet; join a stream with a bounded dataset (read(), createDataset)");
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
