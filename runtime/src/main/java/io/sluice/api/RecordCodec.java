package io.sluice.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * Reads and writes the records of one {@code @Event} type in a compact binary layout (for state
 * and checkpoints), as one JSON object, and as one CSV line; the Sluice annotation processor
 * generates one for each event type ({@code Click_Codec} for {@code Click}).
 *
 * <pre>{@code
 * RecordCodec<Click> codec = RecordCodec.forType(Click.class);
 * String line = codec.toJson(new Click("ann", "/home", 1000L));
 * Click back = codec.fromJson(line);
 * }</pre>
 *
 * <p><b>Binary layout</b> (no version header; the layout is fixed by the component list): for each
 * component in declaration order, a nullable component (a box, {@code String}, {@code Instant} or
 * {@code byte[]}) first writes a presence byte, 0 for null (and nothing follows) or 1; then the
 * value: {@code long}, {@code int}, {@code double} and {@code boolean} as {@link DataOutput} writes
 * them (8, 4, 8 and 1 bytes, big-endian), a {@code String} as an {@code int} byte count and its
 * UTF-8 bytes (no 64 KB limit, unlike {@link DataOutput#writeUTF}), a {@code byte[]} as an {@code
 * int} byte count and the bytes, an {@code Instant} as a {@code long} of epoch milliseconds (finer
 * precision is dropped, as everywhere in the engine). Adding, removing, reordering or retyping a
 * component changes the layout.
 *
 * <p><b>JSON</b>: one object whose field names are the component names, in component order;
 * nulls are written as {@code null}, instants as ISO-8601 strings, byte arrays as Base64 strings
 * (as Spark writes a BINARY), NaN and the infinities as the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"}, as the engine's file sink writes them. Reading accepts
 * fields in any order and ignores unknown ones; a missing or {@code null} field is null for a
 * nullable component and an error for a primitive one; instants are read from epoch milliseconds
 * or ISO-8601 strings; values of the wrong JSON type are errors, not coerced.
 *
 * <p><b>CSV</b>: one line (no line break) of the components in order, quoted as RFC 4180 needs;
 * null is an empty unquoted field and the empty string is {@code ""}, so reading tells them apart.
 * An empty unquoted field for a primitive component is an error. A type with a {@code byte[]}
 * component has no CSV form, as Spark's CSV format has no BINARY: its CSV methods throw a {@link
 * SluiceException} of kind {@link ErrorKind#UNSUPPORTED_OPERATION} naming the component.
 *
 * <p>Malformed input is a {@link SluiceException} of kind {@link ErrorKind#MALFORMED_RECORD} that
 * names the field, e.g. {@code field 'ts' expects BIGINT but found a string}. Codecs are
 * stateless and safe to share between threads.
 *
 * @param <T> the event type
 */
public interface RecordCodec<T> {
  /** Writes {@code record} in the binary layout above. */
  void writeBinary(T record, DataOutput out) throws IOException;

  /** Reads one record written by {@link #writeBinary}. */
  T readBinary(DataInput in) throws IOException;

  /** The record as one JSON object, e.g. {@code {"user":"ann","page":"/home","ts":1000}}. */
  String toJson(T record);

  /** The record a JSON object stands for; malformed input is a {@link SluiceException}. */
  T fromJson(String json);

  /** The record as one CSV line without a line break, e.g. {@code ann,/home,1000}. */
  String toCsv(T record);

  /** The record one CSV line stands for; malformed input is a {@link SluiceException}. */
  T fromCsv(String line);

  /**
   * The codec the annotation processor generated for {@code type}: the class {@code
   * <package>.<Outer_Inner>_Codec}, loaded from {@code type}'s class loader. A type without one
   * (not annotated with {@code @Event}, or compiled without the processor) is a {@link
   * SluiceException} of kind {@link ErrorKind#INVALID_EVENT_TYPE}.
   */
  static <T> RecordCodec<T> forType(Class<T> type) {
    String packagePrefix = type.getPackageName().isEmpty() ? "" : type.getPackageName() + ".";
    // The binary name of a nested type is Outer$Inner; the metamodel joins simple names with '_'.
    String codecName = packagePrefix
        + type.getName().substring(packagePrefix.length()).replace('$', '_') + "_Codec";
    Class<?> codecClass;
    try {
      codecClass = Class.forName(codecName, true, type.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, "no generated codec for "
          + type.getCanonicalName() + ": annotate it with @Event and run the Sluice annotation"
          + " processor", e);
    }
    if (!RecordCodec.class.isAssignableFrom(codecClass)) {
      throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, codecName + " is not a RecordCodec;"
          + " a class of that name must be the codec Sluice generates for " + type.getName());
    }
    try {
      @SuppressWarnings("unchecked") // The processor generates Click_Codec for Click only.
      RecordCodec<T> codec = (RecordCodec<T>) codecClass.getConstructor().newInstance();
      return codec;
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException e) {
      throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, "cannot create " + codecName
          + ", the generated codec for " + type.getName() + ": " + e, e);
    }
  }
}
