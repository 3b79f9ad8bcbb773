/**
 * Tools for testing streaming queries deterministically: a manual clock and a driver that runs a
 * query one micro-batch at a time in the test's thread. Feed input with {@code MemoryStream}.
 */
@NullMarked
package io.sluice.testkit;

import org.jspecify.annotations.NullMarked;
