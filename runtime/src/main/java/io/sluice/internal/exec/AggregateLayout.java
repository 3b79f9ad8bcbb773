package io.sluice.internal.exec;

import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.AggregateFunction;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.plan.NamedExpression;
import io.sluice.internal.statecodec.FieldsText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a streaming aggregation's state entries are laid out, as the checkpoint records it in
 * {@code aggregate.layout} beside the state: the grouping columns, which make the key; each
 * aggregate's name and result type, and its function, which fix its buffer in the value; and,
 * for session windows, which grouping is the session, kept in the value rather than the key.
 *
 * <pre>
 * key: user STRING, window STRUCT&lt;start: TIMESTAMP, end: TIMESTAMP&gt;
 * aggregates: n BIGINT NOT NULL, `max(page)` STRING
 * functions: COUNT, MAX
 * session window: window
 * </pre>
 *
 * <p>An aggregate is named as the query's output column that is exactly it, else after its
 * function and argument column as Spark would ({@code max(page)}, {@code count(1)}), else {@code
 * agg<i>}. The last line is only there
 * for session windows.
 */
record AggregateLayout(List<Field> keys, List<Field> aggregates,
    List<AggregateFunction> functions, int sessionKey) {
  static final String FILE = "aggregate.layout";
  private static final String KEY = "key";
  private static final String AGGREGATES = "aggregates";
  private static final String FUNCTIONS = "functions";
  private static final String SESSION_WINDOW = "session window";

  /** The layout of {@code plan}'s state. */
  static AggregateLayout of(AggregationPlan plan) {
    int groupCount = plan.groupings().size();
    List<Field> raw = plan.rawSchema().fields();
    List<Field> aggregates = new ArrayList<>();
    for (AggregateSlot slot : plan.aggregates()) {
      Field f = raw.get(groupCount + slot.index());
      aggregates.add(f.nullable() ? Field.nullable(name(plan, slot), f.type())
          : Field.required(name(plan, slot), f.type()));
    }
    return new AggregateLayout(raw.subList(0, groupCount), aggregates,
        plan.aggregates().stream().map(AggregateSlot::function).toList(),
        plan.hasSessionWindow() ? plan.windowKey() : -1);
  }

  private static String name(AggregationPlan plan, AggregateSlot slot) {
    int column = plan.groupings().size() + slot.index();
    for (NamedExpression output : plan.outputs()) {
      if (output.expression() instanceof Bound.Column c && c.ordinal() == column) {
        return output.name();
      }
    }
    // As Spark names an aggregate without an alias: count(*) is count(1).
    String function = slot.function().sqlName() + "("
        + (slot.function() == AggregateFunction.COUNT_DISTINCT ? "DISTINCT " : "");
    if (slot.argument() == null) {
      return function + "1)";
    }
    return slot.argument() instanceof Bound.Column c ? function + c.name() + ")"
        : "agg" + slot.index();
  }

  /** Records this layout in {@code stateDirectory}, beside the state folder {@code aggregate}. */
  void write(Path stateDirectory) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put(KEY, FieldsText.format(keys));
    lines.put(AGGREGATES, FieldsText.format(aggregates));
    lines.put(FUNCTIONS, functions.stream().map(Enum::name).collect(Collectors.joining(", ")));
    if (sessionKey >= 0) {
      lines.put(SESSION_WINDOW, keys.get(sessionKey).name());
    }
    StateLayoutFile.write(stateDirectory.resolve(FILE), lines);
  }

  /** The layout recorded in {@code stateDirectory}. */
  static AggregateLayout read(Path stateDirectory) {
    StateLayoutFile file = StateLayoutFile.read(stateDirectory.resolve(FILE));
    List<Field> keys = file.fields(KEY);
    List<Field> aggregates = file.fields(AGGREGATES);
    List<AggregateFunction> functions = new ArrayList<>();
    for (String name : file.get(FUNCTIONS).split(", ", -1)) {
      functions.add(function(file, name));
    }
    if (functions.size() != aggregates.size()) {
      throw file.malformed("it lists " + aggregates.size() + " aggregates but "
          + functions.size() + " functions");
    }
    int sessionKey = !file.has(SESSION_WINDOW) ? -1
        : keys.stream().map(Field::name).toList().indexOf(file.get(SESSION_WINDOW));
    return new AggregateLayout(keys, aggregates, functions, sessionKey);
  }

  private static AggregateFunction function(StateLayoutFile file, String name) {
    try {
      return AggregateFunction.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw file.malformed("'" + name + "' is not an aggregate function");
    }
  }

  /**
   * The plan of the aggregation as far as its state goes, to decode entries with: columns stand
   * in for the grouping expressions and the aggregates' arguments, whose types are all that the
   * buffers look at (min and max: their result type).
   */
  AggregationPlan plan() {
    List<Bound> groupings = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      Field f = keys.get(k);
      Bound column = new Bound.Column(k, f.name(), f.type(), f.nullable());
      groupings.add(k == sessionKey ? new Bound.SessionWindow(column, column) : column);
    }
    List<AggregateSlot> slots = new ArrayList<>();
    int longs = 0;
    int refs = 0;
    for (int i = 0; i < aggregates.size(); i++) {
      Field f = aggregates.get(i);
      AggregateFunction function = functions.get(i);
      slots.add(new AggregateSlot(function, new Bound.Column(i, f.name(), f.type(), true),
          f.type(), i, longs, refs));
      longs += AggregateSlot.longWidth(function, f.type());
      refs += AggregateSlot.refWidth(function, f.type());
    }
    List<Field> raw = new ArrayList<>(keys);
    raw.addAll(aggregates);
    return new AggregationPlan(groupings, slots, Schema.of(raw), List.of(), longs, refs, -1,
        sessionKey);
  }
}
