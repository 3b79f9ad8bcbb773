package io.sluice.internal.statecodec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.RecordSchema;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The binary form of the values (or keys) of one user state: a Java record or Kotlin data class
 * with components of the types {@link io.sluice.internal.analysis.JavaTypes} lists, stored as
 * {@code byte[]} in the state store.
 *
 * <pre>{@code
 * StateCodec<Session> codec = StateCodec.reading(Session.class, layoutsFromCheckpoint,
 *     "state 'sessions' of operator flatMapGroupsWithState");
 * byte[] bytes = codec.encode(session);
 * Session back = codec.decode(bytes);
 * // persist codec.layouts() with the state's checkpoint
 * }</pre>
 *
 * <p><b>Layout</b>: one byte, the <i>layout version</i> (unsigned): the position in {@link
 * #layouts()} of the {@link StateSchema} the value was written in. Then that layout's fields in
 * order; a nullable field first has a presence byte, 0 for null (nothing follows) or 1; then the
 * value: a {@code BOOLEAN} as one byte 0 or 1, an {@code INT} in 4 bytes and a {@code BIGINT} in
 * 8, big-endian, a {@code DOUBLE} as the 8 bytes of {@link Double#doubleToLongBits} (one NaN for
 * all), a {@code STRING} as its UTF-8 byte count (unsigned LEB128: one byte below 128) then the
 * bytes, a {@code BINARY} ({@code byte[]}) likewise as its byte count then the bytes, a {@code
 * TIMESTAMP} as 8 bytes of epoch milliseconds. Encoding is deterministic, and values equal as
 * records get equal bytes, so keys can be encoded with it; byte arrays count by content here,
 * although a record's {@code equals} compares them by identity. As everywhere in the engine, an
 * {@code Instant} keeps milliseconds only, and a string with an unpaired surrogate does not
 * survive UTF-8.
 *
 * <p><b>Evolution</b>: a query restarted from its checkpoint with a changed state type finds its
 * values in the old layout; an operator rewrites a value only when it updates it, so after a few
 * changes the store may hold values in several layouts at once. The version byte names each
 * value's layout, so {@link #decode} reads old and new values alike with the right one, and values
 * move to the current layout lazily as they are written. The alternative, rewriting every value at
 * the first batch after a change, would need no tag but would read and rewrite the whole state
 * (into one huge delta) at restart; one byte per value is cheaper. {@link #encode} always writes
 * the current layout. Which changes are allowed, and the error for the rest, are {@link
 * Evolution}'s.
 *
 * <p>The operator's part: keep {@link #layouts()} with the state in the checkpoint (one {@link
 * StateSchema#toString} line each, in order, since a version is a position) and pass them back to
 * {@link #reading(Class, List, String)} at restart. A key codec comes from {@link #readingKey},
 * which allows no change at all. Codecs hold no mutable state and are safe to share.
 *
 * <p>Components are read and values built through method handles found once per type; a value's
 * constructor arguments are boxed, its primitive components are not when encoding.
 *
 * @param <T> the state type
 */
public final class StateCodec<T> {
  /** The most layouts a state can have been written in, since the version is one byte. */
  public static final int MAX_LAYOUTS = 256;

  private static final ClassValue<StateCodec<?>> CODECS = new ClassValue<>() {
    @Override
    protected StateCodec<?> computeValue(Class<?> type) {
      return create(type);
    }
  };

  private final Class<T> type;
  private final String state;
  private final StateSchema schema;
  private final FieldWriter[] writers;
  private final int sizeGuess;
  private final MethodHandle constructor;
  private final List<StateSchema> layouts;
  private final DecodePlan[] plans;

  private StateCodec(Class<T> type, String state, StateSchema schema, FieldWriter[] writers,
      MethodHandle constructor, List<StateSchema> layouts) {
    this.type = type;
    this.state = state;
    this.schema = schema;
    this.writers = writers;
    this.sizeGuess = sizeGuess(schema);
    this.constructor = constructor;
    this.layouts = List.copyOf(layouts);
    this.plans = this.layouts.stream().map(l -> DecodePlan.of(l, schema))
        .toArray(DecodePlan[]::new);
  }

  /** The codec of a new state of {@code type}, which has only the current layout; one per type. */
  @SuppressWarnings("unchecked")
  public static <T> StateCodec<T> of(Class<T> type) {
    return (StateCodec<T>) CODECS.get(type);
  }

  /**
   * The codec of a state whose values were all written in {@code written}; the same as {@link
   * #reading(Class, List, String)} with that one layout.
   */
  public static <T> StateCodec<T> reading(Class<T> type, StateSchema written, String state) {
    return reading(type, List.of(written), state);
  }

  /**
   * The codec of a state of {@code type} whose values were written in {@code written}, the
   * {@link #layouts()} its checkpoint kept; the current layout is added unless it is the last.
   * {@code state} names the state in errors, e.g. {@code state 'sessions' of operator
   * flatMapGroupsWithState}. A type some written values cannot be read as is a {@code Checkpoint}
   * error.
   */
  public static <T> StateCodec<T> reading(Class<T> type, List<StateSchema> written,
      String state) {
    StateCodec<T> codec = of(type);
    for (StateSchema layout : written) {
      Evolution.requireReadable(state, type, layout, codec.schema);
    }
    List<StateSchema> layouts = new ArrayList<>(written);
    if (layouts.isEmpty() || !layouts.get(layouts.size() - 1).equals(codec.schema)) {
      layouts.add(codec.schema);
    }
    if (layouts.size() > MAX_LAYOUTS) {
      throw new SluiceException(ErrorKind.CHECKPOINT, state + " has been written in "
          + MAX_LAYOUTS + " layouts, the most a state can have; start from a new checkpoint "
          + "location to change its type again");
    }
    return codec.withLayouts(layouts, state);
  }

  /**
   * The codec of the keys of a state whose keys were written as {@code written}; any change to
   * the key type is a {@code Checkpoint} error, since stored values are found by the key's bytes.
   */
  public static <T> StateCodec<T> readingKey(Class<T> type, StateSchema written, String state) {
    StateCodec<T> codec = of(type);
    Evolution.requireSameKey(state, type, written, codec.schema);
    return codec.withLayouts(List.of(written), state);
  }

  /** The bytes of {@code value} in the current layout. */
  public byte[] encode(T value) {
    Objects.requireNonNull(value, "a state value cannot be null");
    ValueOutput out = new ValueOutput(sizeGuess);
    out.putByte(layouts.size() - 1);
    try {
      for (FieldWriter writer : writers) {
        writer.write(value, out);
      }
    } catch (Throwable e) {
      throw unchecked(e);
    }
    return out.toByteArray();
  }

  /** The value {@code bytes} hold, written by this codec or in any of its older layouts. */
  public T decode(byte[] bytes) {
    Object[] arguments;
    try {
      arguments = arguments(new ValueInput(bytes));
    } catch (IndexOutOfBoundsException e) {
      throw unreadable("its " + bytes.length + " bytes do not hold a value of its layout ("
          + e.getMessage() + ")");
    }
    try {
      return type.cast((Object) constructor.invokeExact(arguments));
    } catch (Throwable e) {
      throw unchecked(e);
    }
  }

  /** The current layout, in which {@link #encode} writes. */
  public StateSchema schema() {
    return schema;
  }

  /** Every layout the state's values may be in, oldest first: a value's version is a position. */
  public List<StateSchema> layouts() {
    return layouts;
  }

  public Class<T> type() {
    return type;
  }

  /**
   * The field values of a value written in one of {@code layouts}, in the newest layout's field
   * order, without building a record: for showing a checkpoint's state as a table. Timestamps are
   * {@link java.time.Instant}s.
   */
  public static Object[] fields(byte[] bytes, List<StateSchema> layouts) {
    ValueInput in = new ValueInput(bytes);
    int version = in.getByte() & 0xff;
    if (version >= layouts.size()) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "a state value has layout version "
          + version + ", but the checkpoint records only versions 0 to " + (layouts.size() - 1));
    }
    return DecodePlan.of(layouts.get(version), layouts.get(layouts.size() - 1)).read(in);
  }

  private Object[] arguments(ValueInput in) {
    int version = in.getByte() & 0xff;
    if (version >= plans.length) {
      throw unreadable("its layout version is " + version + ", but the checkpoint records only "
          + "versions 0 to " + (plans.length - 1));
    }
    Object[] arguments = plans[version].read(in);
    if (!in.atEnd()) {
      throw unreadable("bytes are left over after its last field, at " + in.position());
    }
    return arguments;
  }

  private StateCodec<T> withLayouts(List<StateSchema> layouts, String state) {
    return new StateCodec<>(type, state, schema, writers, constructor, layouts);
  }

  private static <T> StateCodec<T> create(Class<T> type) {
    RecordSchema record = RecordSchema.of(type);
    StateSchema schema = StateSchema.of(type);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    try {
      FieldWriter[] writers = new FieldWriter[schema.fields().size()];
      for (int i = 0; i < writers.length; i++) {
        writers[i] = FieldWriter.of(schema.fields().get(i),
            lookup.unreflect(record.accessorMethod(i)));
      }
      MethodHandle constructor = lookup.unreflectConstructor(record.constructor())
          .asSpreader(Object[].class, writers.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
      return new StateCodec<>(type, "an unnamed state", schema, writers, constructor,
          List.of(schema));
    } catch (IllegalAccessException e) {
      throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, "cannot use "
          + Evolution.name(type) + " as a state type: " + e.getMessage(), e);
    }
  }

  private static int sizeGuess(StateSchema schema) {
    int size = 1;
    for (var f : schema.fields()) {
      size += (f.nullable() ? 1 : 0) + ColumnFormat.of(f.type()).sizeGuess();
    }
    return size;
  }

  private SluiceException unreadable(String why) {
    return new SluiceException(ErrorKind.CHECKPOINT, "cannot read a value of " + state + " as "
        + Evolution.name(type) + ": " + why);
  }

  /** An accessor's or constructor's exception as it was; handles declare {@code Throwable}. */
  private RuntimeException unchecked(Throwable e) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    return new SluiceException(ErrorKind.EXECUTION, Evolution.name(type) + " threw " + e, e);
  }
}
