package io.sluice.internal.plan;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.Analyzer;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.ExprPrinter;
import io.sluice.internal.expression.ExpressionParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link QuerySpec} into a logical plan over an input: {@code WHERE} a filter, {@code
 * GROUP BY} with {@code SELECT} an aggregation whose outputs are exactly the select list (as in
 * SQL), {@code SELECT} alone a projection (or a global aggregation if it uses aggregate
 * functions), {@code HAVING} a filter over the output columns.
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
    LogicalPlan plan = input;
    if (!spec.where().isBlank()) {
      Bound condition = inClause("where", 0, () -> Analyzer.bindPredicate(
          ExpressionParser.parse(spec.where()), input.schema(), spec.where(), spec.functions()));
      plan = new LogicalPlan.Filter(plan, condition);
    }
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

  private static LogicalPlan selectOrAggregate(QuerySpec spec, LogicalPlan input) {
    if (spec.select().isEmpty()) {
      throw new ClauseError(new QuerySpec.Clause("select", 0), new SluiceException(
          ErrorKind.UNSUPPORTED_OPERATION, "a query needs at least one output column in select"));
    }
    List<NamedExpression> groupings = new ArrayList<>();
    for (int i = 0; i < spec.groupBy().size(); i++) {
      groupings.add(named(spec, "groupBy", i, spec.groupBy().get(i), input, false));
    }
    List<NamedExpression> outputs = new ArrayList<>();
    for (int i = 0; i < spec.select().size(); i++) {
      outputs.add(named(spec, "select", i, spec.select().get(i), input, true));
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

  private static NamedExpression named(QuerySpec spec, String member, int index, String text,
      LogicalPlan input, boolean allowAggregates) {
    return inClause(member, index, () -> {
      Expr e = ExpressionParser.parse(text);
      return new NamedExpression(ExprPrinter.defaultName(e),
          Analyzer.bind(e, input.schema(), text, allowAggregates, spec.functions()));
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
