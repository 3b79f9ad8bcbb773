package io.sluice.differential;

import io.sluice.api.Dataset;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.internal.codegen.StageCompiler;
import io.sluice.testkit.QueryTester;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one corpus query over its input, batch by batch, on a fresh engine that either uses the
 * build-time stage classes or compiles every stage with Janino.
 */
final class CorpusRunner {
  private CorpusRunner() {}

  /**
   * The output columns, the rows of each batch (values in column order) and how many classes
   * Janino compiled.
   */
  record Result(List<String> columns, List<List<List<Object>>> batches, long janinoCompilations) {
    int rowCount() {
      return batches.stream().mapToInt(List::size).sum();
    }

    /** Batch {@code b} with only the named columns, in the order given. */
    List<List<Object>> batch(int b, String... names) {
      List<List<Object>> out = new ArrayList<>();
      for (List<Object> row : batches.get(b)) {
        List<Object> picked = new ArrayList<>();
        for (String name : names) {
          int at = columns.indexOf(name);
          if (at < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
          }
          picked.add(row.get(at));
        }
        out.add(picked);
      }
      return out;
    }
  }

  static Result run(Corpus.Query query, boolean buildTimeStages, OutputMode mode) {
    return run(query, buildTimeStages, mode, Inputs.of(query.from()));
  }

  static <T> Result run(Corpus.Query query, boolean buildTimeStages, OutputMode mode,
      List<?> records) {
    @SuppressWarnings("unchecked")
    Class<T> from = (Class<T>) query.from();
    @SuppressWarnings("unchecked")
    List<T> input = (List<T>) records;
    try (Sluice engine = engine(buildTimeStages)) {
      MemoryStream<T> stream = engine.memoryStream(from);
      // Exactly the source, with nothing before query(): the build-time stages apply.
      Dataset<?> result = query.hasInto()
          ? stream.toDataset().query(query.type(), query.into())
          : stream.toDataset().query(query.type());
      long before = StageCompiler.compilations();
      List<List<List<Object>>> batches = new ArrayList<>();
      try (QueryTester tester = QueryTester.of(result.writeStream().outputMode(mode))) {
        for (int b = 0; b < Inputs.BATCHES; b++) {
          stream.addData(Inputs.batch(input, b));
          batches.add(values(tester.runBatch()));
        }
      }
      return new Result(result.schema().names(), batches,
          StageCompiler.compilations() - before);
    }
  }

  /** An engine that uses the build-time stages, or one that compiles every stage with Janino. */
  static Sluice engine(boolean buildTimeStages) {
    return Sluice.builder().buildTimeStages(buildTimeStages).statePartitions(2).workerThreads(2)
        .build();
  }

  static List<List<Object>> values(List<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(Arrays.asList(r.values()));
    }
    return out;
  }
}
