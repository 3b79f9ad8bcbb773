package io.sluice.internal.plan;

import io.sluice.api.Clock;
import io.sluice.api.Schema;
import io.sluice.internal.connector.Source;
import java.util.function.Function;

/** Creates a source for one run of a query; the plan holds the provider, not a live source. */
public interface SourceProvider {
  Schema schema();

  /** Whether this source is unbounded (readStream) rather than bounded (read). */
  boolean streaming();

  Source create(Clock clock);

  /** A provider of {@code schema} whose sources {@code factory} makes; shown as {@code description}. */
  static SourceProvider of(Schema schema, boolean streaming, String description,
      Function<Clock, Source> factory) {
    return new SourceProvider() {
      @Override
      public Schema schema() {
        return schema;
      }

      @Override
      public boolean streaming() {
        return streaming;
      }

      @Override
      public Source create(Clock clock) {
        return factory.apply(clock);
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }
}
