package io.sluice.internal.connector;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decodes whole messages, such as Kafka record values, into the event columns at the front of a
 * chunk, in the {@link ValueFormat} the source option {@code valueFormat} names.
 *
 * <p>JSON and CSV go through the file sources' decoders, so a value reads as the same text in
 * a file would (the options {@code timestampFormat} and {@code sep} apply too); the binary
 * layout is read field by field. Each value is decoded aside first and appended only when all
 * of it is good, so that a bad one leaves nothing in the chunk.
 *
 * <pre>{@code
 * ValueDecoder values = ValueDecoder.of("Click", clickSchema, options, Set.of("ts"));
 * values.appendTo(record.value(), chunk); // columns 0 .. clickSchema.size() - 1
 * }</pre>
 */
public final class ValueDecoder {
  /** The option that names the format. */
  public static final String FORMAT_OPTION = "valueFormat";

  private final ValueFormat format;
  private final RowScratch row;
  private final Decoding decoding;

  /** One format's way from bytes to a row. */
  @FunctionalInterface
  private interface Decoding {
    void decode(byte[] value, RowScratch row) throws BadRecordException;
  }

  private ValueDecoder(ValueFormat format, Schema schema, Decoding decoding) {
    this.format = format;
    this.row = new RowScratch(schema);
    this.decoding = decoding;
  }

  /**
   * A decoder of values into rows of {@code schema}, the columns of the event type named {@code
   * event}, whose BIGINT columns {@code epochMillisTimes} are event times that JSON and CSV may
   * also give as timestamp text.
   *
   * @throws SluiceException of kind {@link ErrorKind#INVALID_OPTION} when {@code valueFormat} is
   *     missing or does not fit the event: {@code string} and {@code bytes} need an event of one
   *     {@code String} or {@code byte[]} component, CSV has no spelling for a {@code byte[]}
   */
  public static ValueDecoder of(String event, Schema schema, Options options,
      Set<String> epochMillisTimes) {
    ValueFormat format = ValueFormat.required(options, FORMAT_OPTION, event);
    return new ValueDecoder(format, schema, decoding(format, event, schema, options,
        epochMillisTimes));
  }

  public ValueFormat format() {
    return format;
  }

  /**
   * Appends the event {@code value} spells to the first columns of {@code chunk}, which the
   * caller completes to a row. A null value (a Kafka tombstone) is a null event component for
   * {@code string} and {@code bytes}, and holds no event in the other formats.
   *
   * @throws BadRecordException if the value is not an event; then nothing was appended
   */
  public void appendTo(byte @Nullable [] value, ColumnBatch chunk) throws BadRecordException {
    row.reset();
    if (value != null) {
      decoding.decode(value, row);
    } else if (format.wholeValueType() != null) {
      row.setNull(0);
    } else {
      throw new BadRecordException("the value is null (a tombstone), which holds no event");
    }
    row.appendTo(chunk);
  }

  private static Decoding decoding(ValueFormat format, String event, Schema schema,
      Options options, Set<String> epochMillisTimes) {
    switch (format) {
      case JSON: {
        JsonLineDecoder json = new JsonLineDecoder(schema, text(schema, options, epochMillisTimes));
        return (value, row) -> json.decode(utf8(value), row);
      }
      case CSV: {
        CsvLineDecoder.refuseBinary(schema);
        CsvLineDecoder csv = new CsvLineDecoder(schema, FileSourceOptions.separator(options),
            false, text(schema, options, epochMillisTimes));
        return (value, row) -> csv.decode(utf8(value), row);
      }
      case BINARY: {
        BinaryLayoutDecoder binary = new BinaryLayoutDecoder(schema);
        return binary::decode;
      }
      default:
        requireOneColumn(format, event, schema, options);
        return format == ValueFormat.STRING
            ? (value, row) -> row.setString(0, utf8(value))
            : (value, row) -> row.setBytes(0, value);
    }
  }

  /**
   * Undecodable UTF-8 becomes U+FFFD rather than a bad record, as in {@code CAST(value AS
   * STRING)} and the file sources: one bad byte is one odd character, not a lost event.
   */
  private static String utf8(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  private static TextValues text(Schema schema, Options options, Set<String> epochMillisTimes) {
    return TextValues.of(schema, FileSourceOptions.timestampParser(options), epochMillisTimes);
  }

  private static void requireOneColumn(ValueFormat format, String event, Schema schema,
      Options options) {
    DataType type = format.wholeValueType();
    if (schema.size() != 1 || schema.field(0).type() != type) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, options.owner() + " option '"
          + FORMAT_OPTION + "' is '" + format + "', which reads the whole value as an event of"
          + " one " + (type == DataType.STRING ? "String" : "byte[]") + " component, but "
          + event + " has " + schema + "; use json, csv or binary for an event of fields");
    }
  }
}
