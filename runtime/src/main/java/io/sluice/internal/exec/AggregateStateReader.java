package io.sluice.internal.exec;

import io.sluice.api.Field;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.plan.AggregationPlan;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of a streaming aggregation as rows: one per group, with its grouping columns as the
 * query names them (a window as a WINDOW value) and each aggregate's value so far, as the query
 * would emit it now; for session windows one row per session. The distinct values that {@code
 * count(DISTINCT x)} remembers are not shown, only their count.
 */
final class AggregateStateReader implements OperatorStateReader {
  private final AggregationPlan plan;

  private AggregateStateReader(AggregationPlan plan) {
    this.plan = plan;
  }

  /** The reader of the aggregation state in {@code stateDirectory}. */
  static AggregateStateReader open(Path stateDirectory) {
    return new AggregateStateReader(AggregateLayout.read(stateDirectory).plan());
  }

  @Override
  public List<Field> columns() {
    return plan.rawSchema().fields();
  }

  @Override
  public List<@Nullable Object[]> rows(Map<ByteBuffer, byte[]> entries) {
    ColumnBatch out = new ColumnBatch(plan.rawSchema(), entries.size());
    GroupRows groups = new GroupRows(plan);
    entries.forEach((key, value) -> groups.emitEntry(key.array(), value, out));
    return out.rows();
  }
}
