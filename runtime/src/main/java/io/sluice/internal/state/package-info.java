/** Keyed operator state off heap in Chronicle Map, split into partitions by key hash. */
@NullMarked
package io.sluice.internal.state;

import org.jspecify.annotations.NullMarked;
