package io.sluice.internal.exec;

import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StreamingQueryProgress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * What a query writes to the log: a line when it starts and when it stops, its progress at INFO
 * at most once per interval of the engine's clock (with what ran since the last such line), every
 * batch's progress as JSON at DEBUG, and a failure at ERROR.
 */
final class QueryLog {
  private final Logger log;
  private final long intervalMillis;
  private long lastInfoMillis = Long.MIN_VALUE;
  private long batchesSince;
  private long rowsSince;

  QueryLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalMillis = intervalMillis;
  }

  void started(String name, UUID id, UUID runId, @Nullable Path checkpoint) {
    log.info("query '{}' started: id {}, runId {}, checkpoint {}", name, id, runId,
        checkpoint == null ? "none" : checkpoint);
  }

  /** A batch ran at {@code nowMillis} on the engine's clock. */
  void progress(StreamingQueryProgress p, long nowMillis) {
    if (log.isDebugEnabled()) {
      log.debug("query '{}' progress: {}", p.name(), p.json());
    }
    batchesSince++;
    rowsSince += p.numInputRows();
    if (lastInfoMillis != Long.MIN_VALUE && nowMillis - lastInfoMillis < intervalMillis) {
      return;
    }
    lastInfoMillis = nowMillis;
    if (log.isInfoEnabled()) {
      log.info("query '{}' batch {}: {} rows in {} ms ({} rows/s){}{}; {} batches, {} rows since"
          + " the last report", p.name(), p.batchId(), p.numInputRows(), p.batchDuration(),
          String.format(Locale.ROOT, "%.0f", p.processedRowsPerSecond()), watermark(p),
          stateRows(p), batchesSince, rowsSince);
    }
    batchesSince = 0;
    rowsSince = 0;
  }

  void stopped(String name, UUID id, UUID runId, long batches) {
    log.info("query '{}' stopped after {} batches in this run: id {}, runId {}", name, batches, id,
        runId);
  }

  void failed(String name, UUID id, UUID runId, long batchId, Throwable failure) {
    log.error("query '{}' failed in batch {}: id {}, runId {}", name, batchId, id, runId,
        failure);
  }

  private static String watermark(StreamingQueryProgress p) {
    String watermark = p.eventTime().get("watermark");
    return watermark == null ? "" : ", watermark " + watermark;
  }

  private static String stateRows(StreamingQueryProgress p) {
    if (p.stateOperators().isEmpty()) {
      return "";
    }
    return ", " + p.stateOperators().stream().mapToLong(StateOperatorProgress::numRowsTotal)
        .sum() + " state rows";
  }
}
