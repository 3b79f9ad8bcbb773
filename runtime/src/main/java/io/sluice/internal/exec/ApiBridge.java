package io.sluice.internal.exec;

import io.sluice.api.DataStreamWriter;
import io.sluice.internal.connector.Sink;
import java.util.Objects;

/**
 * Lets the public test kit reach package-private parts of the API without making them public:
 * the API package installs the implementation when the engine class loads.
 */
public interface ApiBridge {
  /** A query's batches from a writer's settings, driven by the caller's thread. */
  MicroBatchExecution prepare(DataStreamWriter<?> writer, Sink sink);

  /** Installed by {@code io.sluice.api.Sluice}. */
  final class Holder {
    private static volatile ApiBridge bridge;

    private Holder() {}

    public static void install(ApiBridge b) {
      bridge = b;
    }

    public static ApiBridge get() {
      return Objects.requireNonNull(bridge, "io.sluice.api.Sluice has not been loaded");
    }
  }
}
