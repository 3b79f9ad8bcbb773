/** Running queries: micro-batch execution, triggers, stateful aggregation, progress. */
@NullMarked
package io.sluice.internal.exec;

import org.jspecify.annotations.NullMarked;
