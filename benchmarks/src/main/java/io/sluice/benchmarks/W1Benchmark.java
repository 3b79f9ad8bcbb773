package io.sluice.benchmarks;

import io.sluice.samples.ViewCounts;
import io.sluice.samples.workload.WindowCountSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload W1 of WORKLOADS.md (a windowed count in append mode) over the first {@link #events}
 * generated events, run by Sluice ({@link ViewCounts}) and, in the same JMH run, by the
 * hand-written loop that is the limit for its logic ({@link HandWrittenViewCounts}): the ratio of
 * the two is how close the engine comes.
 *
 * <p>Each measurement is a whole run, checked and reported as {@link WorkloadBenchmark} says.
 */
@Warmup(iterations = 2)
public class W1Benchmark extends WorkloadBenchmark {
  public W1Benchmark() {
    super("W1", ViewCounts::campaignOf);
  }

  @Benchmark
  public WindowCountSink sluice() {
    return runQuery(ViewCounts::over);
  }

  @Benchmark
  public long handWritten() {
    HandWrittenViewCounts w1 = HandWrittenViewCounts.run(events, eventsPerBatch);
    if (w1.rows() != expected.rows() || w1.sumOfCounts() != expected.sumOfCounts()) {
      throw new IllegalStateException("the hand-written W1 gave " + w1.rows() + " windows and "
          + w1.sumOfCounts() + " views; expected " + expected.rows() + " and "
          + expected.sumOfCounts());
    }
    report.output(w1.rows(), w1.sumOfCounts());
    return w1.rows();
  }
}
