/**
 * Support code that generated stage classes call: column vectors, the batch-local aggregation table,
 * key codecs and SQL function implementations. Kept small and free of virtual calls on the hot path.
 */
@NullMarked
package io.sluice.internal.batch;

import org.jspecify.annotations.NullMarked;
