package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.statecodec.StateCodec;
import io.sluice.internal.statecodec.StateSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The types a state function's state and key were written with, kept in the checkpoint next to
 * the state: at restart the state type may have gained nullable fields (old values are still
 * read, in their own layout), the key type may not change at all.
 *
 * <p>{@code <name>.state-layouts} holds one layout per line, a value's layout version being its
 * line; {@code <name>.key-type} holds the key's layout, or its Java type for a scalar key.
 */
final class StateTypes {
  private StateTypes() {}

  /** The codec for {@code stateType}, able to read every layout the checkpoint has seen. */
  static StateCodec<Object> stateCodec(Class<?> stateType, @Nullable Path directory,
      String name, String description) {
    @SuppressWarnings("unchecked")
    StateCodec<Object> current = (StateCodec<Object>) StateCodec.of(stateType);
    if (directory == null) {
      return current;
    }
    Path file = directory.resolve(name + ".state-layouts");
    List<StateSchema> written = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : CheckpointFile.read(file).split("\n", -1)) {
        written.add(StateSchema.parse(line));
      }
    }
    @SuppressWarnings("unchecked")
    StateCodec<Object> codec = written.isEmpty() ? current
        : (StateCodec<Object>) StateCodec.reading(stateType, written, description);
    if (!codec.layouts().equals(written)) {
      List<String> lines = new ArrayList<>();
      for (StateSchema layout : codec.layouts()) {
        lines.add(layout.toString());
      }
      CheckpointFile.write(file, String.join("\n", lines));
    }
    return codec;
  }

  /** Refuses a key type other than the one the checkpoint's state was written with. */
  static void checkKey(Class<?> keyType, boolean record, @Nullable Path directory, String name,
      String description) {
    if (directory == null) {
      return;
    }
    Path file = directory.resolve(name + ".key-type");
    String now = record ? RECORD + StateCodec.of(keyType).schema() : SCALAR + keyType.getName();
    if (!Files.exists(file)) {
      CheckpointFile.write(file, now);
      return;
    }
    String before = CheckpointFile.read(file);
    if (record && before.startsWith(RECORD)) {
      StateCodec.readingKey(keyType, StateSchema.parse(before.substring(RECORD.length())),
          description);
    } else if (!before.equals(now)) {
      throw changedKey(description, before, now, file);
    }
  }

  private static final String RECORD = "record: ";
  private static final String SCALAR = "scalar: ";

  private static SluiceException changedKey(String description, String before, String now,
      Path file) {
    return new SluiceException(ErrorKind.CHECKPOINT, "the key of " + description + " was "
        + before + " when the state in the checkpoint was written and is now " + now + " ("
        + file + "); a key type cannot change: start from a new checkpoint location");
  }
}
