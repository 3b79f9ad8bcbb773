package io.sluice.internal.plan;

import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.AggregateFunction;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Cuts a logical plan into the stages of a {@link QueryPlan}. */
public final class StagePlanner {
  private StagePlanner() {}

  public static QueryPlan plan(LogicalPlan root) {
    CoPartitioning.check(root);
    List<LogicalPlan> chain = new ArrayList<>();
    LogicalPlan node = root;
    while (!(node instanceof LogicalPlan.Scan) && !(node instanceof LogicalPlan.Union)) {
      chain.add(node);
      node = node.children().get(0);
    }
    Collections.reverse(chain);
    int aggregateAt = -1;
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i) instanceof LogicalPlan.Aggregate) {
        if (aggregateAt >= 0) {
          throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
              "multiple streaming aggregations in one query are not supported; "
                  + "split the query or aggregate once");
        }
        aggregateAt = i;
      }
    }
    if (chain.stream().filter(LogicalPlan.Watermark.class::isInstance).count() > 1) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a stream may have one"
          + " withWatermark; redefining the watermark is not supported, as in Spark");
    }
    for (int i = aggregateAt + 1; aggregateAt >= 0 && i < chain.size(); i++) {
      if (chain.get(i) instanceof LogicalPlan.Watermark) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
            "withWatermark after an aggregation is not supported; define the watermark on the"
                + " input, before groupBy");
      }
    }
    LogicalPlan.Scan scan;
    List<QueryPlan.UnionInput> inputs = List.of();
    java.util.Set<Integer> eventTime = java.util.Set.of();
    if (node instanceof LogicalPlan.Union union) {
      inputs = unionInputs(union);
      boolean inputWatermarks = inputs.stream().flatMap(i -> i.operators().stream())
          .anyMatch(LogicalPlan.Watermark.class::isInstance);
      if (inputWatermarks && chain.stream().anyMatch(LogicalPlan.Watermark.class::isInstance)) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "withWatermark after a union"
            + " of inputs that have watermarks redefines the watermark, which is not supported,"
            + " as in Spark");
      }
      // As in Spark, the union's columns are its first input's, event-time marks included.
      eventTime = EventTimeColumns.of(java.util.Set.of(), inputs.get(0).operators());
      scan = unionScan(union, inputs);
    } else {
      scan = (LogicalPlan.Scan) node;
    }
    int dedupAt = deduplicationAt(chain, aggregateAt);
    if (dedupAt < 0) {
      Tail tail = planTail(scan, chain, aggregateAt, eventTime);
      return new QueryPlan(scan, inputs, List.of(), null, tail.pre, tail.aggregation, tail.post);
    }
    List<LogicalPlan> before = chain.subList(0, dedupAt);
    List<LogicalPlan> marked = new ArrayList<>(inputs.isEmpty() ? List.of()
        : inputs.get(0).operators());
    marked.addAll(before);
    RowOperatorPlan dedup;
    java.util.Set<Integer> deduplicatedEventTime;
    if (chain.get(dedupAt) instanceof LogicalPlan.GroupsWithState g) {
      dedup = planGroupsWithState(g, before, eventTime, aggregateAt >= 0);
      // Records from a user function carry no event-time mark, as in Spark.
      deduplicatedEventTime = java.util.Set.of();
    } else if (chain.get(dedupAt) instanceof LogicalPlan.StreamJoin join) {
      dedup = join.plan();
      deduplicatedEventTime = join.plan().outputEventTimeColumns();
    } else if (chain.get(dedupAt) instanceof LogicalPlan.TransformWithState tws) {
      dedup = planTransformWithState(tws, before, eventTime, aggregateAt >= 0);
      deduplicatedEventTime = java.util.Set.of();
    } else {
      DeduplicationPlan d = planDeduplication((LogicalPlan.Deduplicate) chain.get(dedupAt),
          before, eventTime, marked);
      dedup = d;
      deduplicatedEventTime = d.eventTimeColumn() < 0
          ? java.util.Set.of() : java.util.Set.of(d.eventTimeColumn());
    }
    LogicalPlan.StageInput deduplicated = new LogicalPlan.StageInput(dedup.outputSchema());
    Tail tail = planTail(deduplicated, chain.subList(dedupAt + 1, chain.size()),
        aggregateAt < 0 ? -1 : aggregateAt - dedupAt - 1, deduplicatedEventTime);
    return new QueryPlan(scan, inputs, Optimizer.optimize(scan, before), dedup, tail.pre,
        tail.aggregation, tail.post);
  }

  /** Each input of a union, planned as a stage of its own from its source to the union's rows. */
  private static List<QueryPlan.UnionInput> unionInputs(LogicalPlan.Union union) {
    List<QueryPlan.UnionInput> inputs = new ArrayList<>();
    for (LogicalPlan input : union.inputs()) {
      List<LogicalPlan> chain = new ArrayList<>();
      LogicalPlan node = input;
      while (!(node instanceof LogicalPlan.Scan)) {
        if (node instanceof LogicalPlan.Aggregate || node instanceof LogicalPlan.Deduplicate
            || node instanceof LogicalPlan.Union) {
          throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a union's inputs may"
              + " filter, project, map and set watermarks; aggregate or deduplicate after the"
              + " union instead");
        }
        chain.add(node);
        node = node.children().get(0);
      }
      Collections.reverse(chain);
      if (chain.stream().filter(LogicalPlan.Watermark.class::isInstance).count() > 1) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a stream may have one"
            + " withWatermark; redefining the watermark is not supported, as in Spark");
      }
      LogicalPlan.Scan scan = (LogicalPlan.Scan) node;
      inputs.add(new QueryPlan.UnionInput(scan, Optimizer.optimize(scan, chain)));
    }
    return inputs;
  }

  /** A scan that reads every input of the union through its stage. */
  private static LogicalPlan.Scan unionScan(LogicalPlan.Union union,
      List<QueryPlan.UnionInput> inputs) {
    List<String> names = inputs.stream().map(i -> i.scan().description()).toList();
    String description = "Union[" + String.join(", ", names) + "]";
    SourceProvider provider = SourceProvider.of(union.schema(), true, description, clock -> {
      List<io.sluice.internal.connector.Source> sources = new ArrayList<>();
      for (QueryPlan.UnionInput input : inputs) {
        sources.add(input.scan().source().create(clock));
      }
      return new io.sluice.internal.connector.UnionSource(sources, union.schema());
    });
    return new LogicalPlan.Scan(provider, description);
  }

  /** The stages over {@code base}: operators, the aggregation at {@code aggregateAt}, the rest. */
  private record Tail(List<LogicalPlan> pre, @Nullable AggregationPlan aggregation,
      List<LogicalPlan> post) {}

  private static Tail planTail(LogicalPlan base, List<LogicalPlan> chain, int aggregateAt,
      java.util.Set<Integer> baseEventTime) {
    if (aggregateAt < 0) {
      return new Tail(Optimizer.optimize(base, chain), null, List.of());
    }
    LogicalPlan.Aggregate aggregate = (LogicalPlan.Aggregate) chain.get(aggregateAt);
    AggregationPlan aggregation = planAggregation(aggregate,
        EventTimeColumns.of(baseEventTime, chain.subList(0, aggregateAt)));
    // The aggregation's output columns come first, so that the optimizer treats them like any
    // other projection of the second stage.
    List<LogicalPlan> after = new ArrayList<>();
    LogicalPlan.StageInput raw = new LogicalPlan.StageInput(aggregation.rawSchema());
    after.add(new LogicalPlan.Project(raw, aggregation.outputs()));
    after.addAll(chain.subList(aggregateAt + 1, chain.size()));
    return new Tail(Optimizer.optimize(base, chain.subList(0, aggregateAt)), aggregation,
        Optimizer.optimize(raw, after));
  }

  private static DeduplicationPlan planDeduplication(LogicalPlan.Deduplicate dedup,
      List<LogicalPlan> before, java.util.Set<Integer> baseEventTime,
      List<LogicalPlan> watermarked) {
    java.util.Set<Integer> eventTime = EventTimeColumns.of(baseEventTime, before);
    int eventTimeColumn = eventTime.isEmpty() ? -1 : eventTime.stream().min(Integer::compare).get();
    long delay = 0;
    for (LogicalPlan op : watermarked) {
      if (op instanceof LogicalPlan.Watermark w) {
        delay = w.delayMillis();
      }
    }
    if (dedup.withinWatermark() && eventTimeColumn < 0) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "dropDuplicatesWithinWatermark"
          + " needs a watermark on its input, as in Spark: withWatermark before it, or the"
          + " watermark of its @StreamQuery");
    }
    return new DeduplicationPlan(dedup.schema(), dedup.keys(), eventTimeColumn,
        dedup.keys().indexOf(eventTimeColumn), dedup.withinWatermark(), delay);
  }

  /** Where the one deduplication of the chain is, or -1; it must come before any aggregation. */
  private static int deduplicationAt(List<LogicalPlan> chain, int aggregateAt) {
    int at = -1;
    for (int i = 0; i < chain.size(); i++) {
      boolean groups = holdsRowState(chain.get(i));
      if (chain.get(i) instanceof LogicalPlan.Deduplicate || groups) {
        if (at >= 0) {
          throw groups || holdsRowState(chain.get(at))
              ? new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a query may have one"
                  + " stateful row operator (dropDuplicates, [flat]mapGroupsWithState,"
                  + " transformWithState or a stream-stream join); an aggregation may follow"
                  + " it")
              : deduplicatesTwice();
        }
        if (aggregateAt >= 0 && i > aggregateAt) {
          throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, groups
              ? (chain.get(i) instanceof LogicalPlan.TransformWithState
                  ? "transformWithState" : "mapGroupsWithState")
                  + " after an aggregation is not supported"
              : "dropDuplicates after an aggregation is not supported; an aggregation's groups"
                  + " are already distinct");
        }
        at = i;
      }
    }
    return at;
  }

  /** Whether {@code op} keeps rows or user state by key, beyond a deduplication's keys. */
  private static boolean holdsRowState(LogicalPlan op) {
    return op instanceof LogicalPlan.GroupsWithState
        || op instanceof LogicalPlan.TransformWithState
        || op instanceof LogicalPlan.StreamJoin;
  }

  /** Checks Spark's rules for a state function and plans it. */
  private static GroupsWithStatePlan planGroupsWithState(LogicalPlan.GroupsWithState g,
      List<LogicalPlan> before, java.util.Set<Integer> baseEventTime, boolean aggregated) {
    java.util.Set<Integer> eventTime = EventTimeColumns.of(baseEventTime, before);
    int eventTimeColumn = eventTime.isEmpty() ? -1 : eventTime.stream().min(Integer::compare).get();
    boolean anyWatermark = !baseEventTime.isEmpty()
        || before.stream().anyMatch(LogicalPlan.Watermark.class::isInstance);
    String name = g.flat() ? "flatMapGroupsWithState" : "mapGroupsWithState";
    if (g.timeout() == io.sluice.api.GroupStateTimeout.EVENT_TIME_TIMEOUT && !anyWatermark) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "Watermark must be specified in"
          + " the query using withWatermark() for using event-time timeout in a " + name
          + ". Event-time timeout not supported without watermark.");
    }
    if (aggregated && g.operatorMode() != io.sluice.api.OutputMode.APPEND) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, g.flat()
          ? "flatMapGroupsWithState in " + modeName(g.operatorMode()) + " mode is not supported"
              + " with aggregation on a streaming dataset; use append mode"
          : "mapGroupsWithState is not supported with aggregation on a streaming dataset; use"
              + " flatMapGroupsWithState in append mode");
    }
    return new GroupsWithStatePlan(g.child().schema(), g.values(), g.keyFunction(), g.keyType(),
        g.stateType(), g.output(), g.function(), g.flat(), g.operatorMode(), g.timeout(),
        eventTimeColumn);
  }

  /** Checks Spark's rules for transformWithState and plans it. */
  private static TransformWithStatePlan planTransformWithState(
      LogicalPlan.TransformWithState t, List<LogicalPlan> before,
      java.util.Set<Integer> baseEventTime, boolean aggregated) {
    java.util.Set<Integer> eventTime = EventTimeColumns.of(baseEventTime, before);
    int eventTimeColumn = eventTime.isEmpty() ? -1 : eventTime.stream().min(Integer::compare).get();
    boolean anyWatermark = !baseEventTime.isEmpty()
        || before.stream().anyMatch(LogicalPlan.Watermark.class::isInstance);
    if (t.timeMode() == io.sluice.api.TimeMode.EVENT_TIME && !anyWatermark) {
      // Spark fails in the first batch with an internal error ("Failed to find time values for
      // timeMode=EventTime"); here the query does not start, in the words of the timeout rule.
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "Watermark must be specified in"
          + " the query using withWatermark() for using event-time mode in a transformWithState."
          + " Event-time mode not supported without watermark (Spark: Failed to find time values"
          + " for timeMode=EventTime).");
    }
    if (aggregated && t.operatorMode() != io.sluice.api.OutputMode.APPEND) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, "transformWithState in "
          + modeName(t.operatorMode()) + " mode is not supported with aggregation on a"
          + " streaming dataset; use append mode");
    }
    return new TransformWithStatePlan(t.child().schema(), t.values(), t.keyFunction(),
        t.keyType(), t.output(), t.processor(), t.installHandle(), t.timeMode(),
        t.operatorMode(), eventTimeColumn, t.initialState());
  }

  private static String modeName(io.sluice.api.OutputMode mode) {
    return mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  static SluiceException deduplicatesTwice() {
    return new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
        "a query may deduplicate once; merge its dropDuplicates and"
            + " dropDuplicatesWithinWatermark into one");
  }

  /** Checks a deduplication over its input alone, as {@link #plan} will. */
  static void checkDeduplication(LogicalPlan.Deduplicate dedup) {
    List<LogicalPlan> before = new ArrayList<>();
    for (LogicalPlan node = dedup.child(); !node.children().isEmpty();
        node = node.children().get(0)) {
      before.add(node);
    }
    Collections.reverse(before);
    planDeduplication(dedup, before, java.util.Set.of(), before);
  }

  /** Plans an aggregation alone, to check it; no column counts as event time. */
  static AggregationPlan planAggregation(LogicalPlan.Aggregate aggregate) {
    return planAggregation(aggregate, java.util.Set.of());
  }

  static AggregationPlan planAggregation(LogicalPlan.Aggregate aggregate,
      java.util.Set<Integer> eventTimeColumns) {
    List<Bound> groupings = aggregate.groupings().stream().map(NamedExpression::expression).toList();
    int windowKey = WindowKeys.windowKey(groupings, aggregate.outputs());
    int eventTimeKey = EventTimeColumns.keyOf(groupings, eventTimeColumns);
    List<Field> rawFields = new ArrayList<>();
    for (NamedExpression g : aggregate.groupings()) {
      rawFields.add(g.toField());
    }
    SlotCollector slots = new SlotCollector();
    List<NamedExpression> outputs = new ArrayList<>();
    for (NamedExpression output : aggregate.outputs()) {
      Bound rewritten = BoundRewriter.rewrite(output.expression(),
          e -> replace(e, groupings, rawFields, slots, aggregate.child().schema()));
      outputs.add(new NamedExpression(output.name(), rewritten));
    }
    for (AggregateSlot slot : slots.slots) {
      boolean counts = slot.function() == AggregateFunction.COUNT
          || slot.function() == AggregateFunction.COUNT_DISTINCT;
      rawFields.add(counts ? Field.required("agg" + slot.index(), slot.resultType())
          : Field.nullable("agg" + slot.index(), slot.resultType()));
    }
    return new AggregationPlan(groupings, List.copyOf(slots.slots), Schema.of(rawFields), outputs,
        slots.longWidth, slots.refWidth, eventTimeKey, windowKey);
  }

  private static @Nullable Bound replace(Bound e, List<Bound> groupings, List<Field> groupFields,
      SlotCollector slots, Schema input) {
    int group = groupings.indexOf(e);
    if (group >= 0) {
      Field f = groupFields.get(group);
      return new Bound.Column(group, f.name(), f.type(), f.nullable());
    }
    if (e instanceof Bound.Aggregate a) {
      AggregateSlot slot = slots.slotFor(a);
      return new Bound.Column(groupings.size() + slot.index(), "agg" + slot.index(), a.type(),
          a.nullable());
    }
    if (e instanceof Bound.Column c) {
      throw new SluiceException(ErrorKind.INVALID_AGGREGATE,
          "column '" + c.name() + "' is neither grouped nor inside an aggregate function; "
              + "grouped by: " + groupings.stream().map(StagePlanner::describe).toList()
              + "; input columns: " + LogicalPlan.columnList(input));
    }
    return null;
  }

  private static String describe(Bound e) {
    return e instanceof Bound.Column c ? c.name() : e.toString();
  }

  /** Assigns buffer offsets to aggregates, sharing one slot between identical aggregates. */
  private static final class SlotCollector {
    final List<AggregateSlot> slots = new ArrayList<>();
    int longWidth;
    int refWidth;

    AggregateSlot slotFor(Bound.Aggregate a) {
      for (AggregateSlot s : slots) {
        if (s.function() == a.function() && java.util.Objects.equals(s.argument(), a.argument())) {
          return s;
        }
      }
      if (slots.size() == 255) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
            "an aggregation may compute at most 255 distinct aggregates");
      }
      AggregateFunction f = a.function();
      var input = a.argument() == null ? null : a.argument().type();
      AggregateSlot slot = new AggregateSlot(f, a.argument(), a.type(), slots.size(), longWidth,
          refWidth);
      longWidth += AggregateSlot.longWidth(f, input);
      refWidth += AggregateSlot.refWidth(f, input);
      slots.add(slot);
      return slot;
    }
  }
}
