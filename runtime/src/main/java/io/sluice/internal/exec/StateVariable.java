package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.api.TTLConfig;

/**
 * A state variable a {@code transformWithState} processor declared: its name, its TTL, and the
 * key it refers to, which is always the key being processed.
 */
abstract class StateVariable {
  final String name;
  final TransformEntries entries;
  private final ProcessorHandle handle;
  private final byte kind;
  private final long ttlMs;

  StateVariable(String name, byte kind, TTLConfig ttl, ProcessorHandle handle) {
    this.name = name;
    this.kind = kind;
    this.ttlMs = ttl.ttlDuration().toMillis();
    this.handle = handle;
    this.entries = handle.entries();
  }

  /** The entry key of this variable for the current key; {@code operation} names a misuse. */
  byte[] key(String operation) {
    return TransformEntries.entryKey(kind, name, handle.keyFor(operation));
  }

  /** When a value written now expires. */
  long newExpiry() {
    return ttlMs > 0 ? entries.processingTime() + ttlMs : TransformEntries.NEVER;
  }

  SluiceException nullValue() {
    return new SluiceException(ErrorKind.EXECUTION, "[ILLEGAL_STATE_STORE_VALUE.NULL_VALUE]"
        + " Illegal value provided to the State Store: cannot write null values to state"
        + " variable " + name + ".");
  }

  SluiceException emptyList() {
    return new SluiceException(ErrorKind.EXECUTION, "[ILLEGAL_STATE_STORE_VALUE.EMPTY_LIST_VALUE]"
        + " Illegal value provided to the State Store: cannot write empty list values to state"
        + " variable " + name + ".");
  }
}
