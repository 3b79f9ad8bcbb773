/**
 * The public API of Sluice: the engine, datasets, columns, queries, triggers, output modes and progress.
 *
 * <p>Everything a user calls lives here or in {@code io.sluice.testkit}; packages under
 * {@code io.sluice.internal} may change without notice.
 */
@NullMarked
package io.sluice.api;

import org.jspecify.annotations.NullMarked;
