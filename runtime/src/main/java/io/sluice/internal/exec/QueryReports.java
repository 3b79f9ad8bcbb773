package io.sluice.internal.exec;

import io.sluice.api.Clock;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * How an engine reports on its queries: the listener bus they post to, the log they write, how
 * long a query stays idle before an idle event ({@code noDataProgressEventInterval}) and how often
 * progress is logged at INFO, both in milliseconds of the engine's clock.
 */
public record QueryReports(ListenerBus bus, Logger log, Clock clock, long idleIntervalMillis,
    long logIntervalMillis) {

  /** The reporter of one query run. */
  public QueryReporter forQuery(@Nullable Path checkpoint) {
    return new QueryReporter(this, new QueryLog(log, logIntervalMillis), checkpoint);
  }
}
