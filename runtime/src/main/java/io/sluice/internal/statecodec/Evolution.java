package io.sluice.internal.statecodec;

import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.SluiceException;
import java.util.Optional;

/**
 * Which changes to a state type a checkpoint's values survive. Fields are matched by name, so
 * order does not matter; a value type may gain a nullable field (old values read it as null),
 * lose a field (its bytes are skipped) and let a field be null that was not. Anything else would
 * leave an old value with no value for a field, or one of the wrong type, and is refused before
 * the query runs rather than failing on the first old value it meets.
 *
 * <p>A key type may not change at all: a key's bytes are what finds its value, so a key encoded
 * in a new layout would never meet the state stored under its old bytes.
 */
final class Evolution {
  private static final String ALLOWED = "a state's type may only change by adding a nullable field, "
      + "removing a field or making a field nullable; to change it otherwise, start from a new "
      + "checkpoint location";

  private Evolution() {}

  /** Refuses a value type {@code type} in which values written as {@code written} cannot be read. */
  static void requireReadable(
      String state, Class<?> type, StateSchema written, StateSchema current) {
    for (Field now : current.fields()) {
      Optional<Field> before = written.field(now.name());
      if (before.isEmpty() ? !now.nullable() : !readableAs(before.get(), now)) {
        String was = before.map(StateSchema::typeText).orElse("absent");
        throw new SluiceException(ErrorKind.CHECKPOINT, "cannot read " + state + " as "
            + name(type) + ": field '" + now.name() + "' was " + was
            + " when the state was written and is now " + StateSchema.typeText(now) + "; "
            + ALLOWED);
      }
    }
  }

  /** Refuses a key type {@code type} whose layout is not exactly {@code written}. */
  static void requireSameKey(
      String state, Class<?> type, StateSchema written, StateSchema current) {
    if (!written.equals(current)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "cannot read " + state + " with keys of "
          + name(type) + ": the key was (" + written + ") when the state was written and is now ("
          + current + "); a state's key type cannot change, since a key's bytes are what find "
          + "its value; start from a new checkpoint location");
    }
  }

  private static boolean readableAs(Field before, Field now) {
    return before.type() == now.type() && (now.nullable() || !before.nullable());
  }

  static String name(Class<?> type) {
    return type.getCanonicalName() != null ? type.getCanonicalName() : type.getName();
  }
}
