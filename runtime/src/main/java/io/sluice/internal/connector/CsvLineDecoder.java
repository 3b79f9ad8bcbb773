package io.sluice.internal.connector;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.CodecSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.jspecify.annotations.Nullable;

/**
 * Decodes CSV, one record per line as Spark does by default: fields by position, or by the names
 * in each file's first line when the option {@code header} is true.
 *
 * <p>An empty unquoted field is null ({@code ""} in quotes is the empty string), as in Spark. A
 * required STRING column takes the empty field as the empty string; other required columns make
 * such a record bad.
 */
final class CsvLineDecoder implements RecordDecoder {
  private final Schema schema;
  private final CSVFormat format;
  private final boolean header;
  private final TextValues text;
  /** For each column, the index of its field in a record, or -1 when absent from the header. */
  private int[] fieldOfColumn;
  private int expectedFields;
  private @Nullable Path file;
  private boolean headerPending;

  CsvLineDecoder(Schema schema, String separator, boolean header, TextValues text) {
    this.schema = schema;
    this.header = header;
    this.text = text;
    // A null string "" plus a strict quote mode makes Commons CSV tell an empty unquoted field
    // (null) from a quoted empty one (the empty string).
    this.format =
        CSVFormat.DEFAULT
            .builder()
            .setDelimiter(separator)
            .setNullString("")
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .get();
    this.fieldOfColumn = positional(schema.size());
    this.expectedFields = schema.size();
  }

  /** CSV has no spelling for bytes: Spark's CSV source refuses BINARY columns, and so does this. */
  static void refuseBinary(Schema schema) {
    for (Field field : schema.fields()) {
      if (field.type() == DataType.BINARY) {
        throw CodecSupport.binaryInCsv(field.name());
      }
    }
  }

  @Override
  public void startFile(Path file) {
    this.file = file;
    this.headerPending = header;
    if (!header) {
      fieldOfColumn = positional(schema.size());
      expectedFields = schema.size();
    }
  }

  @Override
  public boolean decode(String line, RowScratch row) throws BadRecordException {
    if (headerPending) {
      readHeader(splitHeader(line));
      return false;
    }
    @Nullable String[] fields = split(line);
    if (fields.length != expectedFields) {
      throw new BadRecordException(
          "expected " + expectedFields + " fields but found " + fields.length);
    }
    for (int c = 0; c < fieldOfColumn.length; c++) {
      String value = fieldOfColumn[c] < 0 ? null : fields[fieldOfColumn[c]];
      set(row, c, value);
    }
    row.completeMissing();
    return true;
  }

  private void set(RowScratch row, int column, @Nullable String value) throws BadRecordException {
    Field field = row.field(column);
    if (value != null) {
      text.set(row, column, value);
    } else if (field.nullable()) {
      row.setNull(column);
    } else if (field.type() == DataType.STRING) {
      row.setString(column, "");
    } else {
      throw new BadRecordException("required field '" + field.name() + "' is empty");
    }
  }

  private @Nullable String[] split(String line) throws BadRecordException {
    try (CSVParser parser = CSVParser.parse(line, format)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1) {
        throw new BadRecordException("expected one CSV record but found " + records.size());
      }
      return records.get(0).values();
    } catch (UncheckedIOException e) {
      throw new BadRecordException("not valid CSV: " + e.getCause().getMessage());
    } catch (IOException e) {
      throw new BadRecordException("not valid CSV: " + e.getMessage());
    }
  }

  /**
   * Splits the header line. A bad header fails the read whatever the bad-record policy: dropping it
   * would make the first record the header and misread every line after it.
   */
  private @Nullable String[] splitHeader(String line) {
    try {
      return split(line);
    } catch (BadRecordException e) {
      throw new SluiceException(
          ErrorKind.MALFORMED_RECORD, "malformed CSV header in " + file + ": " + e.getMessage());
    }
  }

  /** Maps columns to header names: a missing nullable column is null, a required one fails. */
  private void readHeader(@Nullable String[] names) {
    headerPending = false;
    String[] header =
        Arrays.stream(names).map(n -> n == null ? "" : n.trim()).toArray(String[]::new);
    int[] mapping = new int[schema.size()];
    for (int c = 0; c < mapping.length; c++) {
      Field field = schema.field(c);
      mapping[c] = find(header, field.name());
      if (mapping[c] < 0 && !field.nullable()) {
        throw new SluiceException(
            ErrorKind.UNKNOWN_COLUMN,
            "required column '"
                + field.name()
                + "' not found in the header of "
                + file
                + "; available: "
                + Arrays.stream(header).collect(Collectors.joining(", ")));
      }
    }
    fieldOfColumn = mapping;
    expectedFields = header.length;
  }

  /** The index of {@code name} in the header: exact first, else the one case-insensitive match. */
  private static int find(String[] header, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals(name)) {
        return i;
      }
    }
    int found = -1;
    for (int i = 0; i < header.length; i++) {
      if (header[i].equalsIgnoreCase(name)) {
        if (found >= 0) {
          return -1;
        }
        found = i;
      }
    }
    return found;
  }

  private static int[] positional(int columns) {
    int[] mapping = new int[columns];
    for (int c = 0; c < columns; c++) {
      mapping[c] = c;
    }
    return mapping;
  }
}
