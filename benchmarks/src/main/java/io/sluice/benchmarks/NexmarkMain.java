package io.sluice.benchmarks;

import io.sluice.api.Sluice;
import io.sluice.samples.nexmark.Answer;
import io.sluice.samples.nexmark.NexmarkQuery;
import io.sluice.samples.nexmark.NexmarkRunner;
import io.sluice.samples.nexmark.ResultSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NEXMark queries as a plain main, for long runs and the team's short benchmark command:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.NexmarkMain &lt;q0..q11|all&gt; &lt;events&gt; [events per batch]
 * </pre>
 *
 * <p>For each query it works out the plain-Java answer, runs the query once over a short
 * stretch (200,000 events) to warm up, then over the first {@code events} events, checks the
 * output against the answer (and fails if it differs), and at the end prints one line per query
 * on standard output, {@code bench nexmark-q<N> events_per_s=<X>}: events (all kinds, bids,
 * auctions and people, though a query of bids makes only those) per second of wall-clock time
 * from the first batch with data to the sink holding the answer; building the engine and
 * starting the query are left out. Details (events per CPU-second over the same stretch,
 * batches, rows, other processes' share of the CPU) go to standard error.
 *
 * <p>Chronicle Map needs five JVM flags (see {@link W2Benchmark}'s {@code @Fork}); when they are
 * missing, the main starts itself again in a child JVM that has them, so the command above works
 * as it is.
 */
public final class NexmarkMain {
  static final List<String> JVM_FLAGS = List.of(
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "-Dchronicle.analytics.disable=true");

  private static final long WARM_UP_EVENTS = 200_000;
  private static final long WARM_UP_PER_BATCH = 50_000;

  private NexmarkMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: NexmarkMain <q0|q1|q2|q3|q4|q5|q7|q8|q11|all> <events>"
          + " [events per batch, default 100000]");
      System.exit(2);
    }
    if (!hasJvmFlags()) {
      System.exit(relaunch(args));
    }
    long events = Long.parseLong(args[1]);
    long perBatch = args.length > 2 ? Long.parseLong(args[2]) : Math.min(events, 100_000);
    List<NexmarkQuery> queries = args[0].equals("all") ? List.of(NexmarkQuery.values())
        : List.of(NexmarkQuery.named(args[0]));
    List<String> lines = new ArrayList<>();
    for (NexmarkQuery query : queries) {
      lines.add(measure(query, events, perBatch));
    }
    lines.forEach(System.out::println);
  }

  /** Runs {@code query} once to warm up and once measured; returns its bench line. */
  static String measure(NexmarkQuery query, long events, long perBatch) {
    Answer warmUpAnswer = Answer.of(query.expected(WARM_UP_EVENTS));
    Answer expected = Answer.of(query.expected(events));
    ResultSink warmUp = ResultSink.counting(query);
    NexmarkRunner.run(Sluice.builder(), query, WARM_UP_EVENTS, WARM_UP_PER_BATCH, warmUp);
    warmUp.check(query, warmUpAnswer);
    OtherLoad others = new OtherLoad();
    others.start();
    ResultSink sink = ResultSink.counting(query);
    NexmarkRunner.Run run = NexmarkRunner.run(Sluice.builder(), query, events, perBatch, sink);
    long otherPercent = others.percent();
    sink.check(query, expected);
    double seconds = run.processingNanos() / 1e9;
    double cpuSeconds = run.processingCpuNanos() / 1e9;
    System.err.printf("nexmark-%s: %,d events in %,d batches, %.2f s: %.2fM events/s,"
        + " %.2fM events per CPU-second (%.2f CPU-s); %,d rows as expected; other processes"
        + " %d%% of the CPU%n", query.label(), events, run.batches(), seconds,
        events / seconds / 1e6, events / cpuSeconds / 1e6, cpuSeconds, expected.rows(),
        otherPercent);
    return "bench nexmark-" + query.label() + " events_per_s=" + Math.round(events / seconds);
  }

  private static boolean hasJvmFlags() {
    List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
    return given.containsAll(JVM_FLAGS.subList(0, 5));
  }

  /** Runs this main again in a child JVM with Chronicle Map's flags; returns its exit code. */
  private static int relaunch(String[] args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        NexmarkMain.class.getName()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }
}
