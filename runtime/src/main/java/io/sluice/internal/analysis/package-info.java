/** Binding expressions to a schema: column resolution, type checking, functions and aggregates. */
@NullMarked
package io.sluice.internal.analysis;

import org.jspecify.annotations.NullMarked;
