package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.statecodec.StateCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state variables a {@code transformWithState} processor declared, as the checkpoint keeps
 * them in {@code transform.variables}: one a line, its name, kind and types, each type {@code
 * "scalar: <class>"} or {@code "record: <layout>"}. The state reader decodes with them, and a
 * restart checks the new declarations against them: a variable keeps its kind and, but for a
 * record value gaining nullable fields, its types.
 */
final class VariableDeclarations {
  /** The file, under the operator's state folder. */
  static final String FILE = "transform.variables";

  private VariableDeclarations() {}

  /** One variable's line. */
  record Declaration(String name, byte kind, List<String> types) {
    static Declaration of(StateVariable v) {
      List<String> types = new ArrayList<>();
      for (Class<?> type : v.types()) {
        types.add(GroupKeys.scalar(type) ? "scalar: " + type.getName()
            : "record: " + StateCodec.of(type).schema());
      }
      return new Declaration(v.name, v.kind(), types);
    }

    String line() {
      return name + "\t" + kind + "\t" + String.join("\t", types);
    }

    /** The type of its values: the last one, after a map's user key. */
    String valueType() {
      return types.get(types.size() - 1);
    }
  }

  /** The declarations in {@code file}; a line it cannot read is an error naming the file. */
  static Map<String, Declaration> read(Path file) {
    Map<String, Declaration> declared = new LinkedHashMap<>();
    String text = StateLayoutFile.text(file);
    String[] lines = text.isEmpty() ? new String[0] : text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String[] parts = lines[i].split("\t");
      byte kind = parts.length < 3 ? 0 : kindOf(parts[1]);
      int typeCount = kind == TransformEntries.MAP ? 2 : 1;
      if (kind == 0 || parts.length != 2 + typeCount) {
        throw new SluiceException(ErrorKind.CHECKPOINT, "line " + (i + 1) + " of " + file
            + " is not a state variable (name, kind, type): '" + lines[i] + "'");
      }
      declared.put(parts[0], new Declaration(parts[0], kind,
          List.of(parts).subList(2, parts.length)));
    }
    return declared;
  }

  private static byte kindOf(String text) {
    return switch (text) {
      case "1" -> TransformEntries.VALUE;
      case "2" -> TransformEntries.LIST;
      case "3" -> TransformEntries.MAP;
      default -> 0;
    };
  }

  /**
   * Checks {@code now} against what the checkpoint in {@code stateDirectory} recorded, then
   * records it; a variable recorded before and neither declared nor deleted now stays recorded,
   * so that declaring it again is checked too.
   */
  static void checkAndWrite(Path stateDirectory, Collection<StateVariable> now,
      Set<String> deleted) {
    Path file = stateDirectory.resolve(FILE);
    Map<String, Declaration> before = Files.exists(file) ? read(file) : Map.of();
    Map<String, Declaration> after = new LinkedHashMap<>();
    for (StateVariable v : now) {
      Declaration d = Declaration.of(v);
      Declaration old = before.get(d.name());
      if (old != null && !deleted.contains(d.name())) {
        checkUnchanged(old, d, file);
      }
      after.put(d.name(), d);
    }
    before.forEach((name, old) -> {
      if (!after.containsKey(name) && !deleted.contains(name)) {
        after.put(name, old);
      }
    });
    List<String> lines = new ArrayList<>();
    after.values().forEach(d -> lines.add(d.line()));
    CheckpointFile.write(file, String.join("\n", lines));
  }

  private static void checkUnchanged(Declaration old, Declaration now, Path file) {
    if (old.kind() != now.kind()) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "[STATE_STORE_INVALID_VARIABLE_TYPE_CHANGE] Cannot change state variable '"
              + now.name() + "' from " + kindName(old.kind()) + " to " + kindName(now.kind())
              + " between query restarts (" + file + "): declare it as a " + kindName(old.kind())
              + " again, remove it first with deleteIfExists, or start from a new checkpoint"
              + " location");
    }
    for (int i = 0; i < old.types().size(); i++) {
      String was = old.types().get(i);
      String is = now.types().get(i);
      boolean recordValue = i == old.types().size() - 1 && was.startsWith("record: ")
          && is.startsWith("record: ");
      // A record value's fields are checked by its layouts, which allow new nullable fields.
      if (!recordValue && !was.equals(is)) {
        throw new SluiceException(ErrorKind.CHECKPOINT,
            "[STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE] state variable '" + now.name() + "' kept "
                + (i < old.types().size() - 1 ? "user keys " : "values ") + "of " + was
                + " when the state in the checkpoint was written and is now declared with " + is
                + " (" + file + "): declare the old type, remove the variable first with"
                + " deleteIfExists, or start from a new checkpoint location");
      }
    }
  }

  static String kindName(byte kind) {
    return switch (kind) {
      case TransformEntries.VALUE -> "ValueState";
      case TransformEntries.LIST -> "ListState";
      default -> "MapState";
    };
  }
}
