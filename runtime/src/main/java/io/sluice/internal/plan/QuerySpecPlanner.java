package io.sluice.internal.plan;

import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.Analyzer;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.ExprPrinter;
import io.sluice.internal.expression.ExpressionParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a {@link QuerySpec} into a logical plan over an input, in this order: the watermark as
 * {@code withWatermark}, {@code WHERE} a filter, the deduplication as {@code dropDuplicates},
 * {@code GROUP BY} with {@code SELECT} an aggregation whose outputs are exactly the select list
 * (as in SQL), {@code SELECT} alone a projection (or a global aggregation if it uses aggregate
 * functions), {@code HAVING} a filter over the output columns. The filter comes after the
 * watermark as written, but the optimizer moves what does not read the event time below it, as
 * Spark does.
 *
 * <p>The engine and the annotation processor both plan annotated queries here.
 */
public final class QuerySpecPlanner {
  private QuerySpecPlanner() {}

  /** An error in one clause: the processor reports it on that annotation value. */
  public static final class ClauseError extends SluiceException {
    private final QuerySpec.Clause clause;

    ClauseError(QuerySpec.Clause clause, SluiceException cause) {
      super(cause.kind(), stripId(cause.getMessage()), cause);
      this.clause = clause;
    }

    public QuerySpec.Clause clause() {
      return clause;
    }

    private static String stripId(String message) {
      return message.startsWith("[Sluice/") ? message.substring(message.indexOf("] ") + 2)
          : message;
    }
  }

  public static LogicalPlan plan(QuerySpec spec, LogicalPlan input) {
    LogicalPlan plan = spec.watermark() == null ? input : watermark(spec.watermark(), input);
    if (!spec.where().isBlank()) {
      Bound condition = inClause("where", 0, () -> Analyzer.bindPredicate(
          ExpressionParser.parse(spec.where()), input.schema(), spec.where(), spec.functions()));
      plan = new LogicalPlan.Filter(plan, condition);
    }
    plan = deduplicate(spec, plan);
    plan = selectOrAggregate(spec, plan);
    if (!spec.having().isBlank()) {
      LogicalPlan output = plan;
      Bound condition = inClause("having", 0, () -> Analyzer.bindPredicate(
          ExpressionParser.parse(spec.having()), output.schema(), spec.having(),
          spec.functions()));
      plan = new LogicalPlan.Filter(plan, condition);
    }
    return plan;
  }

  /** The watermark on the named column, or on the one the input type marks {@code @EventTime}. */
  private static LogicalPlan watermark(QuerySpec.Watermark watermark, LogicalPlan input) {
    Schema schema = input.schema();
    boolean named = !watermark.column().isEmpty();
    String member = named ? "watermark.column" : "watermark";
    String column = named ? watermark.column() : inClause(member, 0,
        () -> markedEventTime(watermark.markedEventTime(), schema));
    int ordinal = inClause(member, 0, () -> EventTimeOperators.eventTimeColumn(schema, column));
    long delay = inClause("watermark.delay", 0,
        () -> EventTimeOperators.delayMillis(watermark.delay()));
    return new LogicalPlan.Watermark(input, ordinal, delay);
  }

  private static String markedEventTime(List<String> marked, Schema schema) {
    if (marked.isEmpty()) {
      throw new SluiceException(ErrorKind.UNKNOWN_COLUMN, "the watermark names no column and no"
          + " component of the 'from' type is marked @EventTime: name the event-time column in"
          + " @Watermark(column = ...), or mark it @EventTime; available: "
          + String.join(", ", schema.names()));
    }
    if (marked.size() > 1) {
      throw new SluiceException(ErrorKind.AMBIGUOUS_COLUMN, "the watermark names no column and"
          + " the 'from' type marks more than one component @EventTime (" + String.join(", ",
          marked) + "): name the event-time column in @Watermark(column = ...)");
    }
    return marked.get(0);
  }

  /**
   * {@code dropDuplicates} or {@code dropDuplicatesWithinWatermark}, whichever is given; {@code
   * "*"} stands for every column, as a call without columns does.
   */
  private static LogicalPlan deduplicate(QuerySpec spec, LogicalPlan input) {
    boolean within = !spec.dropDuplicatesWithinWatermark().isEmpty();
    if (within && !spec.dropDuplicates().isEmpty()) {
      throw new ClauseError(new QuerySpec.Clause("dropDuplicatesWithinWatermark", 0),
          StagePlanner.deduplicatesTwice());
    }
    List<String> columns = within ? spec.dropDuplicatesWithinWatermark() : spec.dropDuplicates();
    if (columns.isEmpty()) {
      return input;
    }
    String member = within ? "dropDuplicatesWithinWatermark" : "dropDuplicates";
    Schema schema = input.schema();
    Set<Integer> keys = new LinkedHashSet<>();
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      if (column.equals("*")) {
        for (int c = 0; c < schema.size(); c++) {
          keys.add(c);
        }
      } else {
        keys.add(inClause(member, i, () -> EventTimeOperators.deduplicationKey(schema, column)));
      }
    }
    LogicalPlan.Deduplicate dedup = new LogicalPlan.Deduplicate(input, List.copyOf(keys), within);
    inClause(member, 0, () -> {
      // Checked now, not when the query starts, so that the processor reports it on the member.
      StagePlanner.checkDeduplication(dedup);
      return dedup;
    });
    return dedup;
  }

  private static LogicalPlan selectOrAggregate(QuerySpec spec, LogicalPlan input) {
    if (spec.select().isEmpty()) {
      throw new ClauseError(new QuerySpec.Clause("select", 0), new SluiceException(
          ErrorKind.UNSUPPORTED_OPERATION, "a query needs at least one output column in select"));
    }
    List<NamedExpression> groupings = new ArrayList<>();
    for (int i = 0; i < spec.groupBy().size(); i++) {
      groupings.add(named(spec, "groupBy", i, spec.groupBy().get(i), input.schema(), false));
    }
    List<NamedExpression> windows = windowKeys(groupings, input.schema());
    Schema visible = input.schema();
    if (!windows.isEmpty()) {
      List<Field> fields = new ArrayList<>(visible.fields());
      windows.forEach(w -> fields.add(w.toField()));
      visible = Schema.of(fields);
    }
    int inputColumns = input.schema().size();
    List<NamedExpression> outputs = new ArrayList<>();
    for (int i = 0; i < spec.select().size(); i++) {
      NamedExpression output = named(spec, "select", i, spec.select().get(i), visible, true);
      // A reference to a window key is the key itself, which the aggregation then matches.
      outputs.add(new NamedExpression(output.name(), BoundRewriter.rewrite(output.expression(),
          e -> e instanceof Bound.Column c && c.ordinal() >= inputColumns
              ? windows.get(c.ordinal() - inputColumns).expression() : null)));
    }
    boolean aggregates = outputs.stream().anyMatch(o -> containsAggregate(o.expression()));
    if (groupings.isEmpty() && !aggregates) {
      return new LogicalPlan.Project(input, outputs);
    }
    LogicalPlan.Aggregate aggregate = new LogicalPlan.Aggregate(input, groupings, outputs);
    for (int i = 0; i < outputs.size(); i++) {
      int index = i;
      // Checks now, per select item, that every column is grouped or aggregated.
      inClause("select", index, () -> StagePlanner.planAggregation(new LogicalPlan.Aggregate(
          input, groupings, List.of(outputs.get(index)))));
    }
    return aggregate;
  }

  /**
   * The grouping keys that are windows, which select reads by their names ({@code window}, {@code
   * session_window} or an alias) as Spark names the window column, unless an input column has
   * that name: {@code window.start} is the start of the row's window.
   */
  private static List<NamedExpression> windowKeys(List<NamedExpression> groupings,
      Schema input) {
    List<NamedExpression> windows = new ArrayList<>();
    for (NamedExpression g : groupings) {
      boolean window = g.expression() instanceof Bound.TimeWindow
          || g.expression() instanceof Bound.SessionWindow;
      if (window && input.indexOf(g.name()).isEmpty()
          && windows.stream().noneMatch(w -> w.name().equals(g.name()))) {
        windows.add(g);
      }
    }
    return windows;
  }

  private static NamedExpression named(QuerySpec spec, String member, int index, String text,
      Schema schema, boolean allowAggregates) {
    return inClause(member, index, () -> {
      Expr e = ExpressionParser.parse(text);
      return new NamedExpression(ExprPrinter.defaultName(e),
          Analyzer.bind(e, schema, text, allowAggregates, spec.functions()));
    });
  }

  private static boolean containsAggregate(Bound e) {
    boolean[] found = {false};
    BoundRewriter.rewrite(e, node -> {
      found[0] |= node instanceof Bound.Aggregate;
      return null;
    });
    return found[0];
  }

  private static <T> T inClause(String member, int index, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (ClauseError e) {
      throw e;
    } catch (SluiceException e) {
      throw new ClauseError(new QuerySpec.Clause(member, index), e);
    }
  }
}
