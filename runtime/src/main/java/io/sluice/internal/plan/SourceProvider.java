package io.sluice.internal.plan;

import io.sluice.api.Clock;
import io.sluice.api.Schema;
import io.sluice.internal.connector.Source;

/** Creates a source for one run of a query; the plan holds the provider, not a live source. */
public interface SourceProvider {
  Schema schema();

  /** Whether this source is unbounded (readStream) rather than bounded (read). */
  boolean streaming();

  Source create(Clock clock);
}
