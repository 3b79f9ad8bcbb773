package io.sluice.internal.statecodec;

import io.sluice.api.Field;
import java.util.List;

/**
 * How to read the values written in one layout into the constructor arguments of the current
 * state type: per written field, in written order, its format, whether a presence byte leads it,
 * and the argument it fills, or none for a field the type no longer has. Arguments no written
 * field fills are fields added since, all nullable, and stay null.
 */
final class DecodePlan {
  private final ColumnFormat[] formats;
  private final boolean[] nullable;
  private final int[] arguments;
  private final int arity;

  private DecodePlan(List<Field> written, StateSchema current) {
    int n = written.size();
    formats = new ColumnFormat[n];
    nullable = new boolean[n];
    arguments = new int[n];
    for (int i = 0; i < n; i++) {
      Field f = written.get(i);
      formats[i] = ColumnFormat.of(f.type());
      nullable[i] = f.nullable();
      arguments[i] = current.indexOf(f.name());
    }
    arity = current.fields().size();
  }

  /** The plan for values written as {@code written}, which {@link Evolution} has allowed. */
  static DecodePlan of(StateSchema written, StateSchema current) {
    return new DecodePlan(written.fields(), current);
  }

  /** The constructor arguments of the value whose fields {@code in} is at. */
  Object[] read(ValueInput in) {
    Object[] args = new Object[arity];
    for (int i = 0; i < formats.length; i++) {
      if (nullable[i] && !in.getFlag()) {
        continue;
      }
      if (arguments[i] < 0) {
        formats[i].skip(in);
      } else {
        args[arguments[i]] = formats[i].read(in);
      }
    }
    return args;
  }
}
