package io.sluice.benchmarks;

import io.sluice.annotations.Event;

/** A page visit, the input of the benchmarks. */
@Event
public record Visit(String user, String page, long ts) {}
