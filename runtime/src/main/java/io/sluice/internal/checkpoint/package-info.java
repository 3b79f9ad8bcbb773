/**
 * A query's checkpoint: metadata, the offsets and commits logs, and the files they are made of,
 * each written atomically and verified when read.
 */
@NullMarked
package io.sluice.internal.checkpoint;

import org.jspecify.annotations.NullMarked;
