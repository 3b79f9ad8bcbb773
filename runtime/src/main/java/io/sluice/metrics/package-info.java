/**
 * Micrometer meters for an engine's queries: {@link io.sluice.metrics.SluiceMetrics#bindTo}.
 *
 * <p>The only package that uses Micrometer, which the runtime declares optional: nothing else in
 * Sluice refers to it, so an application without Micrometer never loads a class of it.
 */
@NullMarked
package io.sluice.metrics;

import org.jspecify.annotations.NullMarked;
