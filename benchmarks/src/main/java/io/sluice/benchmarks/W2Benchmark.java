package io.sluice.benchmarks;

import io.sluice.samples.CampaignCounts;
import io.sluice.samples.workload.AdCampaign;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WorkloadRunner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload W2 of WORKLOADS.md (a stream-static join, then a windowed count in append mode) over
 * the first {@link #events} generated events, as fast as the engine takes them: each measurement
 * is a whole run, from building the engine to the sink holding every window the final watermark
 * closed ({@link CampaignCounts}, {@link WorkloadRunner}).
 *
 * <p>Each run is checked and reported as {@link WorkloadBenchmark} says.
 */
@Warmup(iterations = 1)
public class W2Benchmark extends WorkloadBenchmark {
  public W2Benchmark() {
    super("W2", AdCampaign::campaignOf);
  }

  @Benchmark
  public WindowCountSink run() {
    return runQuery(CampaignCounts::over);
  }
}
