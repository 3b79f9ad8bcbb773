package io.sluice.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Schema;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.connector.ChunkConsumer;
import io.sluice.internal.connector.LongOffset;
import io.sluice.internal.connector.Offset;
import io.sluice.internal.connector.RecordListSource;
import io.sluice.internal.connector.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch read on its own thread gives the stages what a direct read gives, in the same order,
 * and a failure on either side ends the read with the source no longer in use.
 */
public class ReadAheadTest {
  /** A record of the list source below. */
  public record Reading(long id, String label) {}

  private static final int ROWS = 100_000;
  private final ReadAhead readAhead = new ReadAhead("test");

  @AfterEach
  void close() {
    readAhead.close();
  }

  private static RecordListSource listOf(int rows) {
    List<Reading> records = LongStream.range(0, rows).mapToObj(i -> new Reading(i, "r" + i))
        .toList();
    return new RecordListSource("list", RecordSchema.of(Reading.class).schema(),
        RecordSchema.of(Reading.class), () -> records);
  }

  private static List<Object[]> rows(List<ColumnBatch> chunks) {
    List<Object[]> rows = new ArrayList<>();
    chunks.forEach(c -> rows.addAll(c.rows()));
    return rows;
  }

  @Test
  void theStagesSeeEveryRowInTheSourcesOrderThoughTheSourceReusesItsChunk() {
    RecordListSource source = listOf(ROWS);
    Offset end = new LongOffset(ROWS);
    assertThat(ReadAhead.worthIt(source, null, end)).isTrue();
    List<ColumnBatch> direct = new ArrayList<>();
    source.read(null, end, chunk -> direct.add(copyOf(chunk)));
    List<ColumnBatch> ahead = new ArrayList<>();
    Thread query = Thread.currentThread();
    List<Thread> consumers = new ArrayList<>();
    readAhead.read(source, null, end, chunk -> {
      consumers.add(Thread.currentThread());
      ahead.add(copyOf(chunk));
    });
    assertThat(rows(ahead)).hasSize(ROWS).containsExactlyElementsOf(rows(direct));
    assertThat(consumers).containsOnly(query);
    // A second batch on the same reader starts from where the first ended.
    List<ColumnBatch> next = new ArrayList<>();
    readAhead.read(source, new LongOffset(ROWS - 40_000), end, chunk -> next.add(copyOf(chunk)));
    assertThat(rows(next)).hasSize(40_000).first().satisfies(r -> assertThat(r[0])
        .isEqualTo(60_000L));
  }

  @Test
  void aSmallBatchIsNotWorthAThread() {
    assertThat(ReadAhead.worthIt(listOf(10), null, new LongOffset(10))).isFalse();
  }

  @Test
  void theSourcesFailureIsThrownOnTheQuerysThreadAsItWas() {
    IllegalStateException broken = new IllegalStateException("disk gone at row 20,000");
    Source failing = new Failing(listOf(ROWS), 20_000, broken);
    List<ColumnBatch> seen = new ArrayList<>();
    assertThatThrownBy(() -> readAhead.read(failing, null, new LongOffset(ROWS),
        chunk -> seen.add(copyOf(chunk)))).isSameAs(broken);
    assertThat(rows(seen).size()).isLessThanOrEqualTo(20_000);
  }

  @Test
  void aFailingStageStopsTheReadingBeforeTheReadReturns() {
    AtomicInteger chunksRead = new AtomicInteger();
    Source counting = new Failing(listOf(ROWS * 10), Integer.MAX_VALUE, null) {
      @Override
      public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
        super.read(start, end, chunk -> {
          chunksRead.incrementAndGet();
          out.accept(chunk);
        });
      }
    };
    AtomicInteger consumed = new AtomicInteger();
    assertThatThrownBy(() -> readAhead.read(counting, null, new LongOffset(ROWS * 10L), chunk -> {
      if (consumed.incrementAndGet() == 3) {
        throw new ArithmeticException("overflow in stage 1");
      }
    })).isInstanceOf(ArithmeticException.class);
    int readWhenItReturned = chunksRead.get();
    // Nothing reads on after the read returned, and it read little past the failure.
    assertThat(chunksRead.get()).isEqualTo(readWhenItReturned).isLessThan(3 + 4 + 3);
    // And the reader takes the next batch.
    List<ColumnBatch> next = new ArrayList<>();
    readAhead.read(listOf(ROWS), null, new LongOffset(ROWS), chunk -> next.add(copyOf(chunk)));
    assertThat(rows(next)).hasSize(ROWS);
  }

  private static ColumnBatch copyOf(ColumnBatch chunk) {
    ColumnBatch copy = new ColumnBatch(chunk.schema(), chunk.size());
    copy.appendAll(chunk);
    return copy;
  }

  /** A source that reads another and throws {@code failure} once it has given {@code after}. */
  private static class Failing implements Source {
    private final Source inner;
    private final int after;
    private final @Nullable RuntimeException failure;

    Failing(Source inner, int after, @Nullable RuntimeException failure) {
      this.inner = inner;
      this.after = after;
      this.failure = failure;
    }

    @Override
    public String description() {
      return "failing";
    }

    @Override
    public Schema schema() {
      return inner.schema();
    }

    @Override
    public @Nullable Offset latestOffset(@Nullable Offset start) {
      return inner.latestOffset(start);
    }

    @Override
    public long rowsBetween(@Nullable Offset start, Offset end) {
      return inner.rowsBetween(start, end);
    }

    @Override
    public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
      int[] given = {0};
      inner.read(start, end, chunk -> {
        if (given[0] + chunk.size() > after && failure != null) {
          throw failure;
        }
        given[0] += chunk.size();
        out.accept(chunk);
      });
    }
  }
}
