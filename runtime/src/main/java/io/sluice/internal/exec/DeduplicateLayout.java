package io.sluice.internal.exec;

import io.sluice.api.Field;
import io.sluice.internal.plan.DeduplicationPlan;
import io.sluice.internal.statecodec.FieldsText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a deduplication's state entries are laid out, as the checkpoint records it in {@code
 * deduplicate.layout} beside the state: the key columns, and whether each value is the key's
 * expiry (for {@code dropDuplicatesWithinWatermark}) or empty.
 *
 * <pre>
 * key: user STRING, time TIMESTAMP
 * within watermark: false
 * </pre>
 */
record DeduplicateLayout(List<Field> keys, boolean withinWatermark) {
  static final String FILE = "deduplicate.layout";
  private static final String KEY = "key";
  private static final String WITHIN_WATERMARK = "within watermark";

  /** The layout of {@code plan}'s state. */
  static DeduplicateLayout of(DeduplicationPlan plan) {
    List<Field> keys = new ArrayList<>();
    for (int column : plan.keyColumns()) {
      keys.add(plan.schema().field(column));
    }
    return new DeduplicateLayout(keys, plan.withinWatermark());
  }

  /** Records this layout in {@code stateDirectory}, beside the state folder {@code deduplicate}. */
  void write(Path stateDirectory) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put(KEY, FieldsText.format(keys));
    lines.put(WITHIN_WATERMARK, Boolean.toString(withinWatermark));
    StateLayoutFile.write(stateDirectory.resolve(FILE), lines);
  }

  /** The layout recorded in {@code stateDirectory}. */
  static DeduplicateLayout read(Path stateDirectory) {
    StateLayoutFile file = StateLayoutFile.read(stateDirectory.resolve(FILE));
    return new DeduplicateLayout(file.fields(KEY), file.get(WITHIN_WATERMARK).equals("true"));
  }
}
