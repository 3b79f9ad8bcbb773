package io.sluice.benchmarks;

import io.sluice.api.Sluice;
import io.sluice.samples.ViewCounts;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WindowCounts;
import io.sluice.samples.workload.WorkloadRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload W1 of WORKLOADS.md (a windowed count in append mode) over the first {@link #events}
 * generated events, run by Sluice ({@link ViewCounts}) and, in the same JMH run, by the
 * hand-written loop that is the limit for its logic ({@link HandWrittenViewCounts}): the ratio of
 * the two is how close the engine comes.
 *
 * <p>Each measurement is a whole run; each is checked against the plain-Java answer (rows and sum
 * of counts) and fails if they differ. With {@link #checkpoint} the engine logs offsets, commits
 * and versioned state in a fresh folder each run, as a production query does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Xmx4g"})
public class W1Benchmark {
  /** Events per run; WORKLOADS.md's peers ran 50M. */
  @Param("10000000")
  public long events;

  /** Events per micro-batch; must divide {@link #events}. */
  @Param("1000000")
  public long eventsPerBatch;

  /** Whether the engine checkpoints each batch. */
  @Param("true")
  public boolean checkpoint;

  private WindowCounts expected;
  private final RunReport report = new RunReport("W1");
  private Path folder;

  @Setup(Level.Trial)
  public void countInPlainJava() {
    expected = WindowCounts.of(events, ViewCounts::campaignOf);
  }

  @Setup(Level.Invocation)
  public void start() throws IOException {
    folder = checkpoint ? RunReport.freshFolder("w1-checkpoint") : null;
    report.start();
  }

  @Benchmark
  public WindowCountSink sluice() {
    WindowCountSink sink = WindowCountSink.counting();
    WorkloadRunner.run(Sluice.builder(), ViewCounts::over, events, eventsPerBatch, sink, folder);
    sink.check(expected);
    report.output(sink.rows(), sink.sumOfCounts());
    return sink;
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

  @TearDown(Level.Invocation)
  public void finish() throws IOException {
    report.print(events);
    RunReport.delete(folder);
  }
}
