/** Logical plans of queries, the checks Structured Streaming applies to them, and stage planning. */
@NullMarked
package io.sluice.internal.plan;

import org.jspecify.annotations.NullMarked;
