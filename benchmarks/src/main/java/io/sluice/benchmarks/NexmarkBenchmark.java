package io.sluice.benchmarks;

import io.sluice.api.Sluice;
import io.sluice.samples.nexmark.Answer;
import io.sluice.samples.nexmark.NexmarkQuery;
import io.sluice.samples.nexmark.NexmarkRunner;
import io.sluice.samples.nexmark.ResultSink;
import java.lang.management.ManagementFactory;
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
 * The NEXMark queries (samples' {@code nexmark} package: Beam's generator, queries q0 to q11 as
 * Sluice runs them) over the first {@link #events} events, as fast as the engine takes them:
 * each measurement is a whole run, from building the engine to the sink holding the query's
 * answer ({@link NexmarkRunner}), as {@link W2Benchmark} measures W2.
 *
 * <p>Each run is checked against the plain-Java answer (rows and checksum) and fails if they
 * differ. It prints its events per second of wall-clock time and per second of the process's CPU
 * time, for the whole run and for its batches alone (engine start left out, as {@link
 * NexmarkMain} reports), and how much of the CPU other processes took meanwhile. With {@code
 * -prof gc}, JMH adds the allocation rate ({@code gc.alloc.rate.norm} is bytes per run; divide by
 * {@link #events} for bytes per event).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar NexmarkBenchmark -p query=q1,q8 -prof gc
 * </pre>
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
public class NexmarkBenchmark {
  /** Which query: {@code q0}, {@code q1}, ... as {@link NexmarkQuery#label}. */
  @Param({"q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11"})
  public String query;

  /** Events per run, all kinds counted. */
  @Param("5000000")
  public long events;

  /** Events per micro-batch; must divide {@link #events}. */
  @Param("500000")
  public long eventsPerBatch;

  private NexmarkQuery nexmark;
  private Answer expected;
  private final OtherLoad others = new OtherLoad();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startNanos;
  private long startCpuNanos;
  private NexmarkRunner.Run run;

  @Setup(Level.Trial)
  public void answerInPlainJava() {
    nexmark = NexmarkQuery.named(query);
    expected = Answer.of(nexmark.expected(events));
  }

  @Setup(Level.Invocation)
  public void startClocks() {
    others.start();
    startCpuNanos = os.getProcessCpuTime();
    startNanos = System.nanoTime();
  }

  @Benchmark
  public ResultSink run() {
    ResultSink sink = ResultSink.counting(nexmark);
    run = NexmarkRunner.run(Sluice.builder(), nexmark, events, eventsPerBatch, sink);
    sink.check(nexmark, expected);
    return sink;
  }

  @TearDown(Level.Invocation)
  public void report() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double cpuSeconds = (os.getProcessCpuTime() - startCpuNanos) / 1e9;
    double batchSeconds = run.processingNanos() / 1e9;
    double batchCpuSeconds = run.processingCpuNanos() / 1e9;
    System.out.printf("%nnexmark-%s: %,d events in %.2f s: %.2fM events/s, %.2fM events per"
        + " CPU-second (%.2f CPU-s); batches alone %.2f s: %.2fM events/s, %.2fM events per"
        + " CPU-second; %,d rows; other processes %d%% of the CPU%n", query, events, seconds,
        events / seconds / 1e6, events / cpuSeconds / 1e6, cpuSeconds, batchSeconds,
        events / batchSeconds / 1e6, events / batchCpuSeconds / 1e6, expected.rows(),
        others.percent());
  }
}
