package io.sluice.api;

/**
 * How a query with several {@code withWatermark} inputs picks its watermark, as Spark's {@code
 * spark.sql.streaming.multipleWatermarkPolicy}: the slowest input ({@link #MIN}, the default, so
 * that no input's rows are dropped as late because another ran ahead) or the fastest ({@link
 * #MAX}).
 */
public enum WatermarkPolicy {
  MIN,
  MAX
}
