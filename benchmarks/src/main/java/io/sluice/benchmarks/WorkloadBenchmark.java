package io.sluice.benchmarks;

import io.sluice.api.Sluice;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WindowCounts;
import io.sluice.samples.workload.WorkloadRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
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

/**
 * What the benchmarks of W1 and W2 share: whole runs over the first {@link #events} generated
 * events, each checked against the plain-Java answer (rows and sum of counts) and reported with
 * its events per second of wall-clock and of CPU time and the load of other processes ({@link
 * RunReport}). With {@link #checkpoint} the engine logs offsets, commits and versioned state in a
 * fresh folder each run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Xmx4g"})
public abstract class WorkloadBenchmark {
  /** Events per run; WORKLOADS.md's peers ran 50M. */
  @Param("10000000")
  public long events;

  /** Events per micro-batch; must divide {@link #events}. */
  @Param("1000000")
  public long eventsPerBatch;

  /** Whether the engine checkpoints each batch. */
  @Param("true")
  public boolean checkpoint;

  WindowCounts expected;
  final RunReport report;
  private final LongUnaryOperator campaignOf;
  private Path folder;

  WorkloadBenchmark(String workload, LongUnaryOperator campaignOf) {
    this.report = new RunReport(workload);
    this.campaignOf = campaignOf;
  }

  @Setup(Level.Trial)
  public void countInPlainJava() {
    expected = WindowCounts.of(events, campaignOf);
  }

  @Setup(Level.Invocation)
  public void start() throws IOException {
    folder = checkpoint ? RunReport.freshFolder("workload-checkpoint") : null;
    report.start();
  }

  /** One run of {@code query} by the engine, checked. */
  WindowCountSink runQuery(WorkloadRunner.Query query) {
    WindowCountSink sink = WindowCountSink.counting();
    WorkloadRunner.run(Sluice.builder(), query, events, eventsPerBatch, sink, folder);
    sink.check(expected);
    report.output(sink.rows(), sink.sumOfCounts());
    return sink;
  }

  @TearDown(Level.Invocation)
  public void finish() {
    report.print(events);
    RunReport.delete(folder);
  }
}
