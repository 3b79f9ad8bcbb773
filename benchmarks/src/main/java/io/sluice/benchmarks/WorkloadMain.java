package io.sluice.benchmarks;

import io.sluice.api.Sluice;
import io.sluice.samples.CampaignCounts;
import io.sluice.samples.ViewCounts;
import io.sluice.samples.workload.AdCampaign;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WindowCounts;
import io.sluice.samples.workload.WorkloadRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * W1 and W2 as a plain program, for long runs and for the short run of every benchmark: each
 * workload runs {@code warmups + runs} times over {@code events} events (batches of 1M,
 * checkpointed), and the median of the last {@code runs} is the figure. W1 runs beside its hand-written
 * baseline, and the last lines say:
 *
 * <pre>
 * bench w1-baseline events_per_s=17000000
 * bench w1 events_per_s=6000000 ratio_to_baseline=0.35
 * bench w2 events_per_s=5000000
 * </pre>
 *
 * <p>Usage: {@code WorkloadMain [w1|w2|all] [events] [runs] [warmups]}, defaults {@code all
 * 10000000 3 2}.
 * Needs Chronicle Map's JVM flags (see BENCHMARKS.md).
 */
public final class WorkloadMain {
  private static final long EVENTS_PER_BATCH = 1_000_000;

  private WorkloadMain() {}

  public static void main(String[] args) throws IOException {
    String which = args.length > 0 ? args[0] : "all";
    long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    List<String> lines = new ArrayList<>();
    if (which.equals("w1") || which.equals("all")) {
      // The answers are worked out once, before the clocks start.
      WindowCounts expected = WindowCounts.of(events, ViewCounts::campaignOf);
      double baseline = median(warmups, runs, events, "W1 hand-written", () -> {
        HandWrittenViewCounts w1 = HandWrittenViewCounts.run(events, EVENTS_PER_BATCH);
        return check(expected, w1.rows(), w1.sumOfCounts());
      });
      double sluice = median(warmups, runs, events, "W1",
          () -> runQuery(events, ViewCounts::over, expected));
      lines.add(String.format("bench w1-baseline events_per_s=%.0f", baseline));
      lines.add(String.format("bench w1 events_per_s=%.0f ratio_to_baseline=%.3f", sluice,
          sluice / baseline));
    }
    if (which.equals("w2") || which.equals("all")) {
      WindowCounts expected = WindowCounts.of(events, AdCampaign::campaignOf);
      double sluice = median(warmups, runs, events, "W2",
          () -> runQuery(events, CampaignCounts::over, expected));
      lines.add(String.format("bench w2 events_per_s=%.0f", sluice));
    }
    lines.forEach(System.out::println);
  }

  /** One run of a workload: the windows it wrote and their views; throws if they are wrong. */
  private interface Run {
    long[] run() throws IOException;
  }

  private static long[] runQuery(long events, WorkloadRunner.Query query,
      WindowCounts expected) throws IOException {
    Path checkpoint = RunReport.freshFolder("workload-checkpoint");
    try {
      WindowCountSink sink = WindowCountSink.counting();
      WorkloadRunner.run(Sluice.builder(), query, events, EVENTS_PER_BATCH, sink, checkpoint);
      sink.check(expected);
      return new long[] {sink.rows(), sink.sumOfCounts()};
    } finally {
      RunReport.delete(checkpoint);
    }
  }

  private static long[] check(WindowCounts expected, long rows, long sumOfCounts) {
    if (rows != expected.rows() || sumOfCounts != expected.sumOfCounts()) {
      throw new IllegalStateException(rows + " windows and " + sumOfCounts + " views; expected "
          + expected.rows() + " and " + expected.sumOfCounts());
    }
    return new long[] {rows, sumOfCounts};
  }

  /** Events per second of the median of {@code runs} runs after {@code warmups} more. */
  private static double median(int warmups, int runs, long events, String name, Run run)
      throws IOException {
    List<Double> measured = new ArrayList<>();
    for (int i = 0; i < warmups + runs; i++) {
      RunReport report = new RunReport(name + (i < warmups ? " (warm-up)" : ""));
      report.start();
      long[] output = run.run();
      report.output(output[0], output[1]);
      double perSecond = report.print(events);
      if (i >= warmups) {
        measured.add(perSecond);
      }
    }
    measured.sort(null);
    return measured.get(measured.size() / 2);
  }
}
