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
    List<LogicalPlan> chain = new ArrayList<>();
    LogicalPlan node = root;
    while (!(node instanceof LogicalPlan.Scan)) {
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
    LogicalPlan.Scan scan = (LogicalPlan.Scan) node;
    if (aggregateAt < 0) {
      return new QueryPlan(scan, Optimizer.optimize(scan, chain), null, List.of());
    }
    LogicalPlan.Aggregate aggregate = (LogicalPlan.Aggregate) chain.get(aggregateAt);
    AggregationPlan aggregation = planAggregation(aggregate);
    // The aggregation's output columns come first, so that the optimizer treats them like any
    // other projection of the second stage.
    List<LogicalPlan> after = new ArrayList<>();
    LogicalPlan.StageInput raw = new LogicalPlan.StageInput(aggregation.rawSchema());
    after.add(new LogicalPlan.Project(raw, aggregation.outputs()));
    after.addAll(chain.subList(aggregateAt + 1, chain.size()));
    return new QueryPlan(scan, Optimizer.optimize(scan, chain.subList(0, aggregateAt)),
        aggregation, Optimizer.optimize(raw, after));
  }

  static AggregationPlan planAggregation(LogicalPlan.Aggregate aggregate) {
    List<Bound> groupings = aggregate.groupings().stream().map(NamedExpression::expression).toList();
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
        slots.longWidth, slots.refWidth);
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
