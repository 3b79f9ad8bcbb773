/**
 * The live dashboard: an embedded HTTP server with a page of charts over the queries' progress,
 * off unless {@code Sluice.builder().dashboard(port)} turns it on.
 */
@NullMarked
package io.sluice.internal.dashboard;

import org.jspecify.annotations.NullMarked;
