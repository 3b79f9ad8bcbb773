package io.sluice.internal.exec;

import io.sluice.api.SluiceException;
import io.sluice.api.StreamingQueryListener.QueryIdleEvent;
import io.sluice.api.StreamingQueryListener.QueryProgressEvent;
import io.sluice.api.StreamingQueryListener.QueryStartedEvent;
import io.sluice.api.StreamingQueryListener.QueryTerminatedEvent;
import io.sluice.api.StreamingQueryProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Tells the listeners and the log what one query run does, on the query's thread: posting is
 * cheap, the listeners run on the bus's thread.
 */
public final class QueryReporter {
  private final QueryReports reports;
  private final QueryLog log;
  private final @Nullable Path checkpoint;
  /**
   * When the last progress or idle event was, on the engine's clock; as in Spark, the first idle
   * trigger of a run only starts the count.
   */
  private long lastEventMillis = Long.MIN_VALUE;
  private long batches;

  QueryReporter(QueryReports reports, QueryLog log, @Nullable Path checkpoint) {
    this.reports = reports;
    this.log = log;
    this.checkpoint = checkpoint;
  }

  void started(MicroBatchExecution query) {
    log.started(query.name(), query.id(), query.runId(), checkpoint);
    reports.bus().post(new QueryStartedEvent(query.id(), query.runId(), query.name(),
        ProgressJson.timestamp(reports.clock().millis())));
  }

  void progress(StreamingQueryProgress progress) {
    long now = reports.clock().millis();
    lastEventMillis = now;
    batches++;
    log.progress(progress, now);
    reports.bus().post(new QueryProgressEvent(progress));
  }

  /** A trigger found no new data: an idle event if none came for the interval. */
  void idle(MicroBatchExecution query) {
    long now = reports.clock().millis();
    if (lastEventMillis != Long.MIN_VALUE
        && now - lastEventMillis < reports.idleIntervalMillis()) {
      return;
    }
    if (lastEventMillis != Long.MIN_VALUE) {
      reports.bus().post(new QueryIdleEvent(query.id(), query.runId(),
          ProgressJson.timestamp(now)));
    }
    lastEventMillis = now;
  }

  void terminated(MicroBatchExecution query, @Nullable Throwable failure) {
    if (failure == null) {
      log.stopped(query.name(), query.id(), query.runId(), batches);
      reports.bus().post(new QueryTerminatedEvent(query.id(), query.runId(), null, null));
      return;
    }
    log.failed(query.name(), query.id(), query.runId(), query.nextBatchId(), failure);
    String kind = failure instanceof SluiceException s ? s.kind().id() : null;
    reports.bus().post(new QueryTerminatedEvent(query.id(), query.runId(), stackTrace(failure),
        kind));
  }

  private static String stackTrace(Throwable failure) {
    StringWriter out = new StringWriter();
    failure.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
