/**
 * The binary form of user state values and keys (records and Kotlin data classes) for stateful
 * operators, and how values written under an older state type are read under a newer one.
 */
@NullMarked
package io.sluice.internal.statecodec;

import org.jspecify.annotations.NullMarked;
