package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.ListState;
import io.sluice.api.MapState;
import io.sluice.api.SluiceException;
import io.sluice.api.StatefulProcessorHandle;
import io.sluice.api.TTLConfig;
import io.sluice.api.TimeMode;
import io.sluice.api.ValueState;
import java.nio.file.Path;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.statecodec.StateCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StatefulProcessorHandle} of a {@code transformWithState} operator: the state
 * variables its processor declared, the timers of the key being processed, and the phase the
 * processor is in, which decides what it may do (Spark's handle states: variables are declared
 * while CREATED, state is read and written only while a key is being processed).
 */
final class ProcessorHandle implements StatefulProcessorHandle {
  /** Before and during {@code init}: variables may be declared. */
  static final String CREATED = "CREATED";
  /** Between calls: no key is current. */
  static final String INITIALIZED = "INITIALIZED";
  static final String DATA_PROCESSED = "DATA_PROCESSED";
  static final String TIMER_PROCESSED = "TIMER_PROCESSED";
  /** The file, under the operator's state folder, naming the declared variables. */
  static final String VARIABLES_FILE = "transform.variables";

  private final TransformEntries entries;
  private final TimeMode timeMode;
  private final @Nullable Path stateDirectory;
  private final Map<String, StateVariable> variables = new LinkedHashMap<>();
  private final Set<String> deleted = new HashSet<>();
  private String phase = CREATED;
  private byte @Nullable [] currentKey;

  ProcessorHandle(TransformEntries entries, TimeMode timeMode, @Nullable Path stateDirectory) {
    this.entries = entries;
    this.timeMode = timeMode;
    this.stateDirectory = stateDirectory;
  }

  TransformEntries entries() {
    return entries;
  }

  /** Enters {@code phase} with {@code key} current (null: none). */
  void enter(String phase, byte @Nullable [] key) {
    this.phase = phase;
    this.currentKey = key;
  }

  /** The variables deleted with {@link #deleteIfExists} in {@code init}. */
  Set<String> deleted() {
    return Collections.unmodifiableSet(deleted);
  }

  /**
   * Writes what the processor declared to {@code transform.variables} beside the state, one
   * variable a line: its name, kind and types, so that the state can be read without the
   * processor (see {@code StateTable}); a record type is written with its current layout.
   */
  void writeVariables() {
    if (stateDirectory == null) {
      return;
    }
    List<String> lines = new ArrayList<>();
    for (StateVariable v : variables.values()) {
      StringJoiner line = new StringJoiner("\t");
      line.add(v.name).add(Byte.toString(v.kind()));
      for (Class<?> type : v.types()) {
        line.add(GroupKeys.scalar(type) ? "scalar: " + type.getName()
            : "record: " + StateCodec.of(type).schema());
      }
      lines.add(line.toString());
    }
    CheckpointFile.write(stateDirectory.resolve(VARIABLES_FILE), String.join("\n", lines));
  }

  /** The variable declared as {@code name}; refused, naming the declared ones, if none is. */
  StateVariable variable(String name) {
    StateVariable v = variables.get(name);
    if (v == null) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "the StatefulProcessor declares no"
          + " state variable '" + name + "'; it declares " + variables.keySet());
    }
    return v;
  }

  StateValueCodec codec(Class<?> type, String variable) {
    return StateValueCodec.of(type, variable, stateDirectory);
  }

  /** The key being processed; {@code operation} is refused when there is none. */
  byte[] keyFor(String operation) {
    byte[] key = currentKey;
    if (key == null) {
      throw invalidHandleState(operation);
    }
    return key;
  }

  private SluiceException invalidHandleState(String operation) {
    return new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
        "[STATEFUL_PROCESSOR_CANNOT_PERFORM_OPERATION_WITH_INVALID_HANDLE_STATE] Failed to"
            + " perform stateful processor operation=" + operation + " with invalid handle state="
            + phase + ".");
  }

  private void checkTimeMode(String operation) {
    if (timeMode == TimeMode.NONE) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "[STATEFUL_PROCESSOR_CANNOT_PERFORM_OPERATION_WITH_INVALID_TIME_MODE] Failed to perform"
              + " stateful processor operation=" + operation + " with invalid timeMode=NONE.");
    }
  }

  private <V extends StateVariable> V declare(String name, V variable) {
    variables.put(name, variable);
    return variable;
  }

  private void checkDeclaration(String name, String operation) {
    if (!phase.equals(CREATED)) {
      throw invalidHandleState(operation);
    }
    if (name == null || name.isEmpty()) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "a state variable needs a name");
    }
    if (variables.containsKey(name)) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "[STATEFUL_PROCESSOR_DUPLICATE_STATE_VARIABLE_DEFINED] State variable with name "
              + name + " has already been defined in the StatefulProcessor.");
    }
  }

  /** As in Spark, a TTL is kept in processing time, so only that time mode may have one. */
  private void checkTtl(String name, TTLConfig ttl) {
    if (ttl.enabled() && timeMode != TimeMode.PROCESSING_TIME) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "[STATEFUL_PROCESSOR_INCORRECT_TIME_MODE_TO_ASSIGN_TTL] Cannot use TTL for state="
              + name + " in timeMode=" + timeMode + ", use TimeMode.PROCESSING_TIME instead.");
    }
  }

  @Override
  public <S> ValueState<S> getValueState(String name, Class<S> type, TTLConfig ttl) {
    checkDeclaration(name, "get_value_state");
    checkTtl(name, ttl);
    return declare(name, new ValueStateVariable<>(name, type, ttl, this));
  }

  @Override
  public <S> ListState<S> getListState(String name, Class<S> type, TTLConfig ttl) {
    checkDeclaration(name, "get_list_state");
    checkTtl(name, ttl);
    return declare(name, new ListStateVariable<>(name, type, ttl, this));
  }

  @Override
  public <K, V> MapState<K, V> getMapState(String name, Class<K> keyType, Class<V> valueType,
      TTLConfig ttl) {
    checkDeclaration(name, "get_map_state");
    checkTtl(name, ttl);
    return declare(name, new MapStateVariable<>(name, keyType, valueType, ttl, this));
  }

  @Override
  public void registerTimer(long expiryTimestampMs) {
    checkTimeMode("register_timer");
    entries.registerTimer(keyFor("register_timer"), expiryTimestampMs);
  }

  @Override
  public void deleteTimer(long expiryTimestampMs) {
    checkTimeMode("delete_timer");
    entries.deleteTimer(keyFor("delete_timer"), expiryTimestampMs);
  }

  @Override
  public Iterator<Long> listTimers() {
    checkTimeMode("list_timers");
    return Arrays.stream(entries.timersOf(keyFor("list_timers"))).boxed().iterator();
  }

  @Override
  public void deleteIfExists(String name) {
    if (!phase.equals(CREATED)) {
      throw invalidHandleState("delete_if_exists");
    }
    deleted.add(name);
  }
}
