package io.sluice.internal.connector;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads the binary layout of the generated {@link io.sluice.api.RecordCodec}s straight into a
 * row, without building the record: per component in order, a presence byte if it is nullable,
 * then the value big-endian, a string or byte array as an int count and the bytes.
 *
 * <p>The layout has no field names or lengths to check against, so the whole message must be
 * used up exactly: a message of another type usually ends early or has bytes left over, and is
 * a bad record rather than an event of wrong values.
 */
final class BinaryLayoutDecoder {
  /** What the layout has a form for: the column types of event components. */
  private static final Set<DataType> LAYOUT = EnumSet.of(DataType.LONG, DataType.INT,
      DataType.DOUBLE, DataType.BOOLEAN, DataType.STRING, DataType.TIMESTAMP, DataType.BINARY);

  private final Field[] fields;

  BinaryLayoutDecoder(Schema schema) {
    this.fields = schema.fields().toArray(new Field[0]);
    for (Field field : fields) {
      if (!LAYOUT.contains(field.type())) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "column '" + field.name()
            + "' is " + field.type() + ", which the binary layout of event codecs has no form for");
      }
    }
  }

  void decode(byte[] value, RowScratch row) throws BadRecordException {
    ByteBuffer in = ByteBuffer.wrap(value); // big-endian, as DataOutput writes
    for (int c = 0; c < fields.length; c++) {
      Field field = fields[c];
      if (field.nullable() && !present(in, field)) {
        row.setNull(c);
        continue;
      }
      switch (field.type()) {
        case LONG, TIMESTAMP -> row.setLong(c, take(in, 8, field).getLong());
        case INT -> row.setLong(c, take(in, 4, field).getInt());
        case DOUBLE -> row.setDouble(c, take(in, 8, field).getDouble());
        // DataInput.readBoolean: any byte but 0 is true.
        case BOOLEAN -> row.setBoolean(c, take(in, 1, field).get() != 0);
        case STRING -> row.setString(c, new String(bytes(in, field), StandardCharsets.UTF_8));
        default -> row.setBytes(c, bytes(in, field));
      }
    }
    if (in.hasRemaining()) {
      throw new BadRecordException(in.remaining() + " bytes follow the last field '"
          + fields[fields.length - 1].name() + "': not a record of this type in the binary"
          + " layout");
    }
  }

  private static boolean present(ByteBuffer in, Field field) throws BadRecordException {
    byte presence = take(in, 1, field).get();
    if (presence != 0 && presence != 1) {
      throw new BadRecordException("field '" + field.name() + "' starts with presence byte "
          + presence + ", expected 0 (null) or 1");
    }
    return presence == 1;
  }

  private static byte[] bytes(ByteBuffer in, Field field) throws BadRecordException {
    int count = take(in, 4, field).getInt();
    if (count < 0) {
      throw new BadRecordException("field '" + field.name() + "' has byte count " + count);
    }
    byte[] bytes = new byte[count];
    take(in, count, field).get(bytes);
    return bytes;
  }

  /** {@code in}, checked to hold {@code n} more bytes for {@code field}. */
  private static ByteBuffer take(ByteBuffer in, int n, Field field) throws BadRecordException {
    if (in.remaining() < n) {
      throw new BadRecordException("the value ends inside field '" + field.name() + "' ("
          + field.type() + "): " + n + " more bytes needed, " + in.remaining() + " left");
    }
    return in;
  }
}
