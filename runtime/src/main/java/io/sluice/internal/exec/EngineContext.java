package io.sluice.internal.exec;

import io.sluice.api.Clock;
import io.sluice.api.WatermarkPolicy;
import io.sluice.internal.codegen.StageCompiler;
import io.sluice.internal.state.StateStoreConfig;
import java.util.concurrent.ExecutorService;

/**
 * What every query of one engine shares: clock, state layout, worker threads, the compiler, and
 * how several watermarks combine.
 */
public record EngineContext(Clock clock, StateStoreConfig state, ExecutorService workers,
    StageCompiler compiler, ClassLoader classLoader, WatermarkPolicy watermarkPolicy) {}
