package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The kinds of stateful operator whose state the state reader shows, and the choice of one for a
 * checkpoint. A kind's name is its state folder in {@code state/0} and the value of the reader's
 * {@code operator} option; a new kind is one more {@link OperatorStateReader} and one more line
 * in {@link #kinds}.
 */
final class OperatorStateReaders {
  /** Each kind's reader, opened on the checkpoint's {@code state/0}, in the order messages list. */
  private static final Map<String, Opener> KINDS = kinds();

  private OperatorStateReaders() {}

  /** Opens a kind's reader on {@code state/0}, given the reader's options. */
  private interface Opener extends BiFunction<Path, Map<String, String>, OperatorStateReader> {}

  private static Map<String, Opener> kinds() {
    Map<String, Opener> kinds = new LinkedHashMap<>();
    kinds.put("aggregate", (state, options) -> AggregateStateReader.open(state));
    kinds.put("deduplicate", (state, options) -> DeduplicateStateReader.open(state));
    kinds.put("groups", GroupsStateReader::open);
    kinds.put("join", JoinStateReader::open);
    kinds.put("transform", TransformStateReader::open);
    return kinds;
  }

  /**
   * The kind to read in {@code checkpoint}: {@code operator}, which the checkpoint must hold the
   * state of, or else the only kind it holds the state of.
   */
  static String choose(Path checkpoint, Path stateDirectory, @Nullable String operator) {
    List<String> available = KINDS.keySet().stream()
        .filter(kind -> Files.isDirectory(stateDirectory.resolve(kind))).toList();
    if (operator != null) {
      return chosen(checkpoint, operator, available);
    }
    if (available.isEmpty()) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + checkpoint + " holds no"
          + " state of a stateful operator: " + stateDirectory + " has none of the folders "
          + String.join(", ", KINDS.keySet()));
    }
    if (available.size() > 1) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + checkpoint + " holds the"
          + " state of several operators; choose one with option operator: "
          + String.join(", ", available));
    }
    return available.get(0);
  }

  private static String chosen(Path checkpoint, String operator, List<String> available) {
    String held = available.isEmpty() ? "none" : String.join(", ", available);
    if (!KINDS.containsKey(operator)) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "option operator must be one of "
          + String.join(", ", KINDS.keySet()) + ", got '" + operator + "'; checkpoint "
          + checkpoint + " holds the state of: " + held);
    }
    if (!available.contains(operator)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + checkpoint + " holds no"
          + " state of operator '" + operator + "'; available: " + held);
    }
    return operator;
  }

  /** The reader of kind {@code kind}'s state in {@code stateDirectory}, given the options. */
  static OperatorStateReader open(String kind, Path stateDirectory, Map<String, String> options) {
    return KINDS.get(kind).apply(stateDirectory, options);
  }
}
