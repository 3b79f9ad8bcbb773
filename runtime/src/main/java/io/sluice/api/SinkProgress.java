package io.sluice.api;

import java.util.Map;

/** What a micro-batch wrote to the sink, with Spark's field names. */
public record SinkProgress(String description, long numOutputRows, Map<String, String> metrics) {}
