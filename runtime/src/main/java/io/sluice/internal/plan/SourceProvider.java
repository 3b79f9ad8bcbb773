package io.sluice.internal.plan;

import io.sluice.api.Clock;
import io.sluice.api.Schema;
import io.sluice.internal.connector.Source;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Creates a source for one run of a query; the plan holds the provider, not a live source. */
public interface SourceProvider {
  Schema schema();

  /** Whether this source is unbounded (readStream) rather than bounded (read). */
  boolean streaming();

  Source create(Clock clock);

  /**
   * The share of the input this instance of the query reads, when the query is one of several
   * instances that split the input; null when it reads all of it.
   */
  default @Nullable InputShare share() {
    return null;
  }

  /** A provider of {@code schema} whose sources {@code factory} makes; shown as {@code description}. */
  static SourceProvider of(Schema schema, boolean streaming, String description,
      Function<Clock, Source> factory) {
    return of(schema, streaming, description, null, factory);
  }

  /** The same, reading only {@code share} of the input (null for all of it). */
  static SourceProvider of(Schema schema, boolean streaming, String description,
      @Nullable InputShare share, Function<Clock, Source> factory) {
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
      public @Nullable InputShare share() {
        return share;
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
