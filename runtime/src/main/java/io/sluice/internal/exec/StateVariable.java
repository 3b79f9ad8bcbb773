package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.api.TTLConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A state variable a {@code transformWithState} processor declared: its name, its TTL, and the
 * key it refers to, which is always the key being processed.
 */
abstract class StateVariable {
  final String name;
  final TransformEntries entries;
  private final ProcessorHandle handle;
  private final byte kind;
  private final boolean expires;
  private final long ttlMs;

  StateVariable(String name, byte kind, TTLConfig ttl, ProcessorHandle handle) {
    this.name = name;
    this.kind = kind;
    // Whether the TTL is set, not its whole milliseconds: a TTL under 1 ms expires at once, as
    // in Spark, rather than never.
    this.expires = ttl.enabled();
    this.ttlMs = millis(ttl);
    this.handle = handle;
    this.entries = handle.entries();
  }

  /** The TTL in milliseconds; one too long for a long is as good as forever. */
  private static long millis(TTLConfig ttl) {
    try {
      return ttl.ttlDuration().toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  byte kind() {
    return kind;
  }

  /**
   * What a reader outside the processor sees of an entry of this variable at {@code now}: the
   * value, or the live elements as a list, or the live entries as a map; null when none is live.
   */
  abstract @Nullable Object view(byte[] entry, long now);

  /** Refuses to show this variable as {@code kindName} of {@code types}, unless it is one. */
  void checkView(byte kindName, List<Class<?>> types) {
    List<Class<?>> declared = types();
    List<Class<?>> asked = types.stream().<Class<?>>map(StateValueCodec::boxed).toList();
    if (kindName != kind || !declared.equals(asked)) {
      throw new SluiceException(ErrorKind.TYPE_MISMATCH, "state variable '" + name + "' is a "
          + describe(kind, declared) + ", not a " + describe(kindName, asked));
    }
  }

  /** The declared value types: the value's, the element's, or the map's key's and value's. */
  abstract List<Class<?>> types();

  private static String describe(byte kind, List<Class<?>> types) {
    String names = String.join(", ", types.stream().map(Class::getSimpleName).toList());
    switch (kind) {
      case TransformEntries.VALUE:
        return "ValueState<" + names + ">";
      case TransformEntries.LIST:
        return "ListState<" + names + ">";
      default:
        return "MapState<" + names + ">";
    }
  }

  /** The entry key of this variable for the current key; {@code operation} names a misuse. */
  byte[] key(String operation) {
    return TransformEntries.entryKey(kind, name, handle.keyFor(operation));
  }

  /** When a value written now expires. */
  long newExpiry() {
    if (!expires) {
      return TransformEntries.NEVER;
    }
    long now = entries.processingTime();
    long expiry;
    try {
      expiry = Math.addExact(now, ttlMs);
    } catch (ArithmeticException e) {
      // A TTL of centuries saturates, rather than wrapping into the past and expiring at once.
      expiry = TransformEntries.NEVER - 1;
    }
    return Math.min(expiry, TransformEntries.NEVER - 1);
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
