package io.sluice.benchmarks;

import io.sluice.api.Sluice;
import io.sluice.samples.CampaignCounts;
import io.sluice.samples.workload.AdCampaign;
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
 * Workload W2 of WORKLOADS.md (a stream-static join, then a windowed count in append mode) over
 * the first {@link #events} generated events, as fast as the engine takes them: each measurement
 * is a whole run, from building the engine to the sink holding every window the final watermark
 * closed ({@link CampaignCounts}, {@link WorkloadRunner}).
 *
 * <p>Each run is checked against the plain-Java answer (rows and sum of counts) and fails if they
 * differ. It prints its events per second of wall-clock time and per second of the process's CPU
 * time, and how much of the CPU other processes took meanwhile ({@link RunReport}). With {@link
 * #checkpoint} the engine logs offsets, commits and versioned state in a fresh folder each run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Xmx4g"})
public class W2Benchmark {
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
  private final RunReport report = new RunReport("W2");
  private Path folder;

  @Setup(Level.Trial)
  public void countInPlainJava() {
    expected = WindowCounts.of(events, AdCampaign::campaignOf);
  }

  @Setup(Level.Invocation)
  public void start() throws IOException {
    folder = checkpoint ? RunReport.freshFolder("w2-checkpoint") : null;
    report.start();
  }

  @Benchmark
  public WindowCountSink run() {
    WindowCountSink sink = WindowCountSink.counting();
    WorkloadRunner.run(Sluice.builder(), CampaignCounts::over, events, eventsPerBatch, sink,
        folder);
    sink.check(expected);
    report.output(sink.rows(), sink.sumOfCounts());
    return sink;
  }

  @TearDown(Level.Invocation)
  public void finish() throws IOException {
    report.print(events);
    RunReport.delete(folder);
  }
}
