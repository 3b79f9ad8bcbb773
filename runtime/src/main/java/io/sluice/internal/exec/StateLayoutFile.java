package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.statecodec.FieldsText;
import io.sluice.internal.statecodec.StateSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A small checkpoint file beside an operator's state that says how its entries are laid out, so
 * that the state reader can decode them without the query: lines of {@code label: value}, field
 * lists in the form of {@link FieldsText}.
 *
 * <p>The operator writes it whenever it opens its state in a checkpoint, so that it describes the
 * latest run; checkpoints of Sluice versions before the state reader lack it until their query
 * starts again.
 */
final class StateLayoutFile {
  /** The types a key or value column may have, in the order error messages list them. */
  private static final List<DataType> COLUMN_TYPES = List.of(DataType.BOOLEAN, DataType.INT,
      DataType.LONG, DataType.DOUBLE, DataType.STRING, DataType.TIMESTAMP, DataType.WINDOW,
      DataType.BINARY);

  private final Path file;
  private final Map<String, String> lines;

  private StateLayoutFile(Path file, Map<String, String> lines) {
    this.file = file;
    this.lines = lines;
  }

  /**
   * Writes {@code lines}, in their order, over what the file held: the query's fingerprint has
   * already checked that the entries are encoded as before, and names may have changed.
   */
  static void write(Path file, Map<String, String> lines) {
    StringJoiner text = new StringJoiner("\n");
    lines.forEach((label, value) -> text.add(label + ": " + value));
    CheckpointFile.write(file, text.toString());
  }

  /** Reads the file {@link #write} wrote; a missing file is an error that names it. */
  static StateLayoutFile read(Path file) {
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : text(file).split("\n")) {
      int colon = line.indexOf(": ");
      if (colon < 0) {
        throw malformed(file, "line '" + line + "' is not 'label: value'");
      }
      lines.put(line.substring(0, colon), line.substring(colon + 2));
    }
    return new StateLayoutFile(file, lines);
  }

  /** The body of a layout file the state reader needs; a missing file is an error naming it. */
  static String text(Path file) {
    if (!Files.exists(file)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "the state beside " + file + " cannot be"
          + " read without that file, which is missing: checkpoints written before Sluice recorded"
          + " state layouts lack it, and starting their query once writes it");
    }
    return CheckpointFile.read(file);
  }

  /** The layouts of a {@code .state-layouts} file, one a line, the oldest first. */
  static List<StateSchema> layouts(Path file) {
    List<StateSchema> layouts = new ArrayList<>();
    for (String line : text(file).split("\n", -1)) {
      layouts.add(StateSchema.parse(line));
    }
    return layouts;
  }

  boolean has(String label) {
    return lines.containsKey(label);
  }

  /** The value of the line {@code label}; a missing line is a {@code Checkpoint} error. */
  String get(String label) {
    String value = lines.get(label);
    if (value == null) {
      throw malformed(file, "it has no line '" + label + ": '");
    }
    return value;
  }

  /** The fields listed on the line {@code label}. */
  List<Field> fields(String label) {
    return FieldsText.parse(get(label), "layout in " + file, COLUMN_TYPES, List::copyOf);
  }

  /** An error about this file: {@code why} it cannot be read. */
  SluiceException malformed(String why) {
    return malformed(file, why);
  }

  private static SluiceException malformed(Path file, String why) {
    return new SluiceException(ErrorKind.CHECKPOINT, "cannot read the state layout " + file
        + ": " + why);
  }
}
