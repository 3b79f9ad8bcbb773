package io.sluice.internal.exec;

import io.sluice.api.Field;
import io.sluice.internal.plan.StreamJoinPlan;
import io.sluice.internal.statecodec.FieldsText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a stream-stream join's state entries are laid out, as the checkpoint records it in {@code
 * join.layout} beside the state: the join key's parts as each side names them, which make an
 * entry's key after its side, and each side's columns, which make the rows it stores ({@link
 * JoinEntries}).
 *
 * <pre>
 * left key: key STRING
 * right key: key STRING
 * left: key STRING, time TIMESTAMP, value BIGINT NOT NULL
 * right: key STRING, time TIMESTAMP, value BIGINT NOT NULL
 * </pre>
 *
 * <p>Key parts are nullable: an outer join keeps the rows of its preserved side whose key has a
 * null part.
 */
record JoinLayout(List<Field> leftKey, List<Field> rightKey, List<Field> left,
    List<Field> right) {
  static final String FILE = "join.layout";
  private static final String LEFT_KEY = "left key";
  private static final String RIGHT_KEY = "right key";
  private static final String LEFT = "left";
  private static final String RIGHT = "right";

  /** The layout of {@code plan}'s state. */
  static JoinLayout of(StreamJoinPlan plan) {
    return new JoinLayout(keyParts(plan, plan.leftKeyNames()), keyParts(plan,
        plan.rightKeyNames()), plan.leftSchema().fields(), plan.rightSchema().fields());
  }

  private static List<Field> keyParts(StreamJoinPlan plan, List<String> names) {
    List<Field> key = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      key.add(Field.nullable(names.get(k), plan.keyTypes().get(k)));
    }
    return key;
  }

  /** Records this layout in {@code stateDirectory}, beside the state folder {@code join}. */
  void write(Path stateDirectory) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put(LEFT_KEY, FieldsText.format(leftKey));
    lines.put(RIGHT_KEY, FieldsText.format(rightKey));
    lines.put(LEFT, FieldsText.format(left));
    lines.put(RIGHT, FieldsText.format(right));
    StateLayoutFile.write(stateDirectory.resolve(FILE), lines);
  }

  /** The layout recorded in {@code stateDirectory}. */
  static JoinLayout read(Path stateDirectory) {
    StateLayoutFile file = StateLayoutFile.read(stateDirectory.resolve(FILE));
    return new JoinLayout(file.fields(LEFT_KEY), file.fields(RIGHT_KEY), file.fields(LEFT),
        file.fields(RIGHT));
  }

  /** The key parts of {@code side}'s entries, as that side names them. */
  List<Field> key(byte side) {
    return side == JoinEntries.LEFT ? leftKey : rightKey;
  }

  /** The columns of the rows {@code side} stores. */
  List<Field> columns(byte side) {
    return side == JoinEntries.LEFT ? left : right;
  }
}
