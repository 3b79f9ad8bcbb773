package io.sluice.benchmarks;

import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.testkit.QueryTester;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up of an annotated query in a fresh JVM: from creating the engine to the first batch's
 * output, once with the stage classes the processor compiled at build time and once with stages
 * generated and compiled by Janino at start. Each fork is a new JVM, so every measurement is a
 * cold start.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 10, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true"})
public class StartupBenchmark {
  /** Where the query's stage classes come from. */
  @Param({"build-time", "janino"})
  public String stages;

  @Benchmark
  public List<Row> engineToFirstBatch() {
    try (Sluice engine = Sluice.builder().buildTimeStages(stages.equals("build-time")).build()) {
      MemoryStream<Visit> visits = engine.memoryStream(Visit.class);
      visits.addData(visits(1_000));
      try (QueryTester tester = QueryTester.of(VisitCounts_Query.over(visits.toDataset())
          .writeStream().outputMode(OutputMode.UPDATE))) {
        List<Row> first = tester.runBatch();
        if (first.isEmpty()) {
          throw new IllegalStateException("the first batch wrote nothing");
        }
        return first;
      }
    }
  }

  private static List<Visit> visits(int n) {
    List<Visit> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Visit(i % 11 == 0 ? "bot" : "u" + i % 97, "p" + i % 7, i));
    }
    return out;
  }
}
