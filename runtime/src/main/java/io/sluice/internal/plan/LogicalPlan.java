package io.sluice.internal.plan;

import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.analysis.RecordType;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query as the user built it, already analyzed: every expression is bound and type-checked, so
 * that a mistake is reported when the dataset is defined, before anything runs.
 */
public sealed interface LogicalPlan {
  Schema schema();

  /** The plans this one reads from. */
  List<LogicalPlan> children();

  /** Reads a source. */
  record Scan(SourceProvider source, String description) implements LogicalPlan {
    @Override
    public Schema schema() {
      return source.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of();
    }
  }

  /**
   * The rows of all {@code inputs}, which have the same number of columns, matched by position
   * and widened to common types (the first input's names), as Spark's {@code union}.
   */
  record Union(List<LogicalPlan> inputs, Schema schema) implements LogicalPlan {
    @Override
    public List<LogicalPlan> children() {
      return inputs;
    }
  }

  /** The rows an earlier stage produced, e.g. an aggregation's result; the start of a stage. */
  record StageInput(Schema schema) implements LogicalPlan {
    @Override
    public List<LogicalPlan> children() {
      return List.of();
    }
  }

  /** Keeps the rows for which {@code condition} is true. */
  record Filter(LogicalPlan child, Bound condition) implements LogicalPlan {
    @Override
    public Schema schema() {
      return child.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /** Computes new columns from each row. */
  record Project(LogicalPlan child, List<NamedExpression> columns) implements LogicalPlan {
    /** The columns; a column passed through under its own name keeps its qualifier. */
    @Override
    public Schema schema() {
      Schema in = child.schema();
      return Schema.of(columns.stream().map(c -> {
        Field f = c.toField();
        return c.expression() instanceof Bound.Column col
            && col.ordinal() < in.size() && in.field(col.ordinal()).name().equals(c.name())
            ? f.qualified(in.field(col.ordinal()).qualifier()) : f;
      }).toList());
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * Calls a user function per row: {@code map} (one result per row) or {@code flatMap} (any number).
   * {@code input} is null when the function takes untyped {@code Row}s.
   */
  record MapRecords(LogicalPlan child, @Nullable RecordType input, RecordType output,
      Object function, boolean flat) implements LogicalPlan {
    @Override
    public Schema schema() {
      return output.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * {@code withWatermark}: passes rows through unchanged while recording the event times in
   * {@code column} (a TIMESTAMP or BIGINT of epoch ms), from which the query's watermark moves to
   * the largest seen minus {@code delayMillis}.
   */
  record Watermark(LogicalPlan child, int column, long delayMillis) implements LogicalPlan {
    @Override
    public Schema schema() {
      return child.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }

    public String columnName() {
      return child.schema().field(column).name();
    }
  }

  /**
   * {@code dropDuplicates}: keeps the first row of each distinct value of {@code keys} (input
   * ordinals), remembering keys across batches; {@code withinWatermark} forgets a key once the
   * watermark passes its first row's event time plus the delay.
   */
  record Deduplicate(LogicalPlan child, List<Integer> keys, boolean withinWatermark)
      implements LogicalPlan {
    @Override
    public Schema schema() {
      return child.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * {@code groupByKey(...).flatMapGroupsWithState(...)}: per key, calls {@code function} with the
   * key's rows (read as {@code values} records) and its state; the output rows are the records
   * it returns.
   */
  record GroupsWithState(LogicalPlan child, RecordSchema values, Object keyFunction,
      Class<?> keyType, Class<?> stateType, RecordSchema output, Object function, boolean flat,
      io.sluice.api.OutputMode operatorMode, io.sluice.api.GroupStateTimeout timeout)
      implements LogicalPlan {
    @Override
    public Schema schema() {
      return output.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /** {@code alias("l")}: the same rows, each column qualified by the alias ({@code l.key}). */
  record Alias(LogicalPlan child, String alias) implements LogicalPlan {
    @Override
    public Schema schema() {
      return Schema.of(child.schema().fields().stream().map(f -> f.qualified(alias)).toList());
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * {@code reloadEvery}: the same rows; as (part of) the bounded side of a stream-static join,
   * read again by the first batch that starts once {@code interval} has passed since the last read.
   */
  record ReloadEvery(LogicalPlan child, java.time.Duration interval) implements LogicalPlan {
    @Override
    public Schema schema() {
      return child.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * A join of a stream ({@code child}) with a bounded dataset ({@code right}), as a stateless
   * operator of the stream's stage: each row probes the bounded side's rows by {@code keys}
   * (pairs of equal expressions, the left over this operator's input, the right over {@code
   * right}'s columns) and keeps the pairs for which {@code residual} (over the left columns then
   * the right ones; null for none) holds.
   */
  record StaticJoin(LogicalPlan child, LogicalPlan right, JoinType joinType,
      List<Bound> leftKeys,
      List<Bound> rightKeys,
      @Nullable Bound residual, StaticSide side)
      implements LogicalPlan {
    @Override
    public Schema schema() {
      return joinType.schema(child.schema(), right.schema());
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * A join of two streams: {@code child} is the union of both inputs' rows, each padded to the
   * layout {@code plan} describes; the join keeps each side's rows in state to match the other's.
   */
  record StreamJoin(LogicalPlan child, StreamJoinPlan plan) implements LogicalPlan {
    @Override
    public Schema schema() {
      return plan.outputSchema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * {@code groupByKey(...).transformWithState(...)}: per key, calls the {@code processor} (a
   * {@code StatefulProcessor}) with the key's rows and timers; {@code installHandle} gives it its
   * handle; {@code initialState} is null without one.
   */
  record TransformWithState(LogicalPlan child, RecordSchema values, Object keyFunction,
      Class<?> keyType, RecordSchema output, Object processor,
      java.util.function.BiConsumer<Object, Object> installHandle,
      io.sluice.api.TimeMode timeMode, io.sluice.api.OutputMode operatorMode,
      @org.jspecify.annotations.Nullable InitialState initialState)
      implements LogicalPlan {
    @Override
    public Schema schema() {
      return output.schema();
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /**
   * Groups rows by {@code groupings} and computes {@code outputs}, which may combine aggregate
   * functions and grouping expressions.
   */
  record Aggregate(LogicalPlan child, List<NamedExpression> groupings,
      List<NamedExpression> outputs) implements LogicalPlan {
    @Override
    public Schema schema() {
      return Schema.of(outputs.stream().map(NamedExpression::toField).toList());
    }

    @Override
    public List<LogicalPlan> children() {
      return List.of(child);
    }
  }

  /** Whether any source under {@code plan} is unbounded. */
  static boolean isStreaming(LogicalPlan plan) {
    if (plan instanceof Scan scan) {
      return scan.source().streaming();
    }
    return plan.children().stream().anyMatch(LogicalPlan::isStreaming);
  }

  /** A field list for messages: {@code user, page, ts}. */
  static String columnList(Schema schema) {
    return String.join(", ", schema.fields().stream().map(Field::name).toList());
  }
}
