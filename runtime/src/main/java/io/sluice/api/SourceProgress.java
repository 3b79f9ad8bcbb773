package io.sluice.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one source contributed to a micro-batch, with Spark's field names. Offsets are JSON text;
 * {@code startOffset} is null for a query's first batch.
 */
public record SourceProgress(String description, @Nullable String startOffset,
    @Nullable String endOffset, @Nullable String latestOffset, long numInputRows,
    double inputRowsPerSecond, double processedRowsPerSecond, Map<String, String> metrics) {}
