package io.sluice.differential;

import io.sluice.annotations.StreamQuery;
import java.util.List;

/**
 * The queries of the differential corpus (issue #3), each run through both compilation paths by
 * {@link DifferentialCorpusTest}. {@link GeneratedStagesJaninoTest} checks that no annotated query
 * of this package is missing here.
 */
final class Corpus {
  static final List<Class<?>> QUERIES = List.of(
      ScalarQueries.WhereOnly.class,
      ScalarQueries.IntArithmetic.class,
      ScalarQueries.DoubleArithmetic.class,
      ScalarQueries.Comparisons.class,
      ScalarQueries.ThreeValuedLogic.class,
      ScalarQueries.SearchedCase.class,
      ScalarQueries.SimpleCase.class,
      ScalarQueries.CastsFromNumbers.class,
      ScalarQueries.CastsFromOthers.class,
      ScalarQueries.CastsFromStrings.class,
      ScalarQueries.InLists.class,
      ScalarQueries.NullPredicates.class,
      ScalarQueries.LikePatterns.class,
      ScalarQueries.Between.class,
      ScalarQueries.StringFunctions.class,
      ScalarQueries.MathFunctions.class,
      ScalarQueries.TimeFunctions.class,
      ScalarQueries.Intervals.class,
      ScalarQueries.NullFunctions.class,
      ScalarQueries.VisitProjection.class,
      ScalarQueries.Literals.class,
      AggregateQueries.CountsPerCustomer.class,
      AggregateQueries.SumsPerQty.class,
      AggregateQueries.AvgMinMax.class,
      AggregateQueries.MinMaxOther.class,
      AggregateQueries.ExpressionsOverAggregates.class,
      AggregateQueries.GroupByExpressions.class,
      AggregateQueries.GroupByTime.class,
      AggregateQueries.GlobalAggregation.class,
      AggregateQueries.HavingFilter.class,
      AggregateQueries.WhereGroupHaving.class,
      AggregateQueries.DistinctCounts.class,
      AggregateQueries.AggregatesOfExpressions.class,
      AggregateQueries.ReadingStats.class,
      AggregateQueries.VisitsPerUrl.class,
      UserFunctionQuery.class,
      UserFunctionAggregation.class,
      InterfaceFunctions.class,
      OrderSummaries.class,
      CustomerTotalsQuery.class,
      QtyStatsQuery.class,
      WideProjection.class);

  /** Aggregations also checked in complete mode. */
  static final List<Class<?>> COMPLETE_MODE = List.of(
      AggregateQueries.CountsPerCustomer.class,
      AggregateQueries.ExpressionsOverAggregates.class,
      AggregateQueries.GlobalAggregation.class,
      AggregateQueries.HavingFilter.class,
      AggregateQueries.ReadingStats.class,
      UserFunctionAggregation.class,
      CustomerTotalsQuery.class);

  private Corpus() {}

  /** What a query class declares that the runner needs: its input and {@code into} types. */
  record Query(Class<?> type, Class<?> from, Class<?> into) {
    static Query of(Class<?> type) {
      StreamQuery annotation = type.getAnnotation(StreamQuery.class);
      return new Query(type, annotation.from(), annotation.into());
    }

    /** The generated classes' name prefix: package and simple names joined by '_'. */
    String generatedPrefix() {
      String nested = type.getName().substring(type.getPackageName().length() + 1);
      return type.getPackageName() + "." + nested.replace('$', '_');
    }

    /** Whether the processor generated a second stage, i.e. the query aggregates. */
    boolean aggregates() {
      try {
        Class.forName(generatedPrefix() + "_Stage2", false, type.getClassLoader());
        return true;
      } catch (ClassNotFoundException e) {
        return false;
      }
    }

    int stages() {
      return aggregates() ? 2 : 1;
    }

    boolean hasInto() {
      return into != void.class;
    }

    @Override
    public String toString() {
      return type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
    }
  }
}
