package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The NEXMark queries Sluice runs, each with its plain-Java answer over the first events
 * ({@link NexmarkAnswers}): what runners, tests and benchmarks iterate over.
 *
 * <pre>{@code
 * NexmarkQuery q = NexmarkQuery.named("q8");
 * Answer expected = Answer.of(q.expected(1_000_000));
 * }</pre>
 */
public enum NexmarkQuery {
  Q0(Query0::over, NexmarkAnswers::q0),
  Q1(Query1::over, NexmarkAnswers::q1),
  Q2(Query2::over, NexmarkAnswers::q2),
  Q3(Query3::over, NexmarkAnswers::q3),
  Q4(Query4::over, NexmarkAnswers::q4, 2),
  Q5(events -> Query5.over(events).toDF(), NexmarkAnswers::q5),
  Q7(events -> Query7.over(events).toDF(), NexmarkAnswers::q7),
  Q8(Query8::over, NexmarkAnswers::q8),
  Q11(Query11::over, NexmarkAnswers::q11);

  private final Function<NexmarkStreams, Dataset<Row>> query;
  private final LongFunction<List<List<Object>>> answer;
  private final int keyColumns;

  NexmarkQuery(Function<NexmarkStreams, Dataset<Row>> query,
      LongFunction<List<List<Object>>> answer) {
    this(query, answer, 0);
  }

  NexmarkQuery(Function<NexmarkStreams, Dataset<Row>> query,
      LongFunction<List<List<Object>>> answer, int keyColumns) {
    this.query = query;
    this.answer = answer;
    this.keyColumns = keyColumns;
  }

  /** The query by its label, {@code q0} to {@code q11}, in any case. */
  public static NexmarkQuery named(String label) {
    for (NexmarkQuery q : values()) {
      if (q.label().equalsIgnoreCase(label)) {
        return q;
      }
    }
    throw new IllegalArgumentException("no NEXMark query '" + label + "'; there are "
        + java.util.Arrays.stream(values()).map(NexmarkQuery::label).toList());
  }

  /** {@code q0}, {@code q1}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The query over {@code events}, for {@link #outputMode}. */
  public Dataset<Row> over(NexmarkStreams events) {
    return query.apply(events);
  }

  /** Append, except for a query whose rows are a table updated in place (see {@link #keyColumns}). */
  public OutputMode outputMode() {
    return keyColumns == 0 ? OutputMode.APPEND : OutputMode.UPDATE;
  }

  /**
   * For update mode, how many leading columns are the key of the result table, whose latest row
   * per key is the answer; 0 for append mode, where every row written is.
   */
  public int keyColumns() {
    return keyColumns;
  }

  /**
   * The query's answer over the first {@code events} events, after the last batch has run: in
   * append mode the rows written once the final watermark has closed what it can, in update mode
   * the result table; in no particular order.
   */
  public List<List<Object>> expected(long events) {
    return answer.apply(events);
  }
}
