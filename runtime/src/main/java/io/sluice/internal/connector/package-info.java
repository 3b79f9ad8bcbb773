/** Sources and sinks: memory, rate, files, console, foreachBatch. */
@NullMarked
package io.sluice.internal.connector;

import org.jspecify.annotations.NullMarked;
