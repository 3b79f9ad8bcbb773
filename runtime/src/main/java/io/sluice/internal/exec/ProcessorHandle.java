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
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StatefulProcessorHandle} of a {@code transformWithState} operator: the state
 * variables its processor declared, the timers of the key being processed, and the phase the
 * processor is in, which decides what it may do (Spark's handle states: variables are declared
 * while CREATED, state is read and written only while a key is being processed).
 */
final class ProcessorHandle implements StatefulProcessorHandle {
  /** Spark's handle states, as a batch goes through them. */
  enum Phase {
    /** Before and during {@code init}: variables may be declared. */
    CREATED,
    /** After {@code init}, and while the initial state and the batch's rows are handled. */
    INITIALIZED,
    /** After the batch's rows, and while its timers fire. */
    DATA_PROCESSED,
    /** After the batch's timers. */
    TIMER_PROCESSED
  }

  /** The longest name an entry key can hold: its length is written in two bytes. */
  private static final int MAX_NAME_BYTES = 0xffff;

  private final TransformEntries entries;
  private final TimeMode timeMode;
  private final @Nullable Path stateDirectory;
  private final Map<String, StateVariable> variables = new LinkedHashMap<>();
  private final Set<String> deleted = new HashSet<>();
  private Phase phase = Phase.CREATED;
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
  void enter(Phase phase, byte @Nullable [] key) {
    this.phase = phase;
    this.currentKey = key;
  }

  /** The variables deleted with {@link #deleteIfExists} in {@code init}. */
  Set<String> deleted() {
    return Collections.unmodifiableSet(deleted);
  }

  /**
   * Checks the declarations against the ones the checkpoint recorded, and records them, so that
   * the state can be read without the processor ({@link TransformStateReader}).
   */
  void recordVariables() {
    if (stateDirectory != null) {
      VariableDeclarations.checkAndWrite(stateDirectory, variables.values(), deleted);
    }
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
    if (phase != Phase.CREATED) {
      throw invalidHandleState(operation);
    }
    if (name == null || name.isEmpty()) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, operation + " needs the name of the"
          + " state variable");
    }
    // Tabs and line breaks would break the line a variable has in the checkpoint's list.
    if (name.indexOf('\t') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0
        || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, operation + ": a state variable name"
          + " has no tab or line break and is at most " + MAX_NAME_BYTES + " bytes long, got '"
          + name.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") + "'");
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
    if (phase != Phase.CREATED) {
      throw invalidHandleState("delete_if_exists");
    }
    deleted.add(name);
  }
}
