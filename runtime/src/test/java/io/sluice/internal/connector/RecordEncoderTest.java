package io.sluice.internal.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Records become the same columns whether reflection or the record's generated writer encodes
 * them: every supported component type, primitive and boxed, null or not.
 */
public class RecordEncoderTest {
  /** One component of each type a record may have. */
  public record Everything(long id, int small, double ratio, boolean flag, @Nullable Long maybeId,
      @Nullable Integer maybeSmall, @Nullable Double maybeRatio, @Nullable Boolean maybeFlag,
      @Nullable String name, @Nullable Instant at, byte @Nullable [] bytes) {}

  private static Everything record(long i) {
    boolean nulls = i % 3 == 0;
    return new Everything(i, (int) -i, i / 4.0, i % 2 == 0, nulls ? null : i * 7,
        nulls ? null : (int) i % 100, nulls ? null : i + 0.5, nulls ? null : i % 5 == 0,
        nulls ? null : "name-" + i, nulls ? null : Instant.ofEpochMilli(1_700_000_000_000L + i),
        nulls ? null : ("b" + i).getBytes(StandardCharsets.UTF_8));
  }

  /** The boxed values a row of {@code record(i)} holds, as a sink would read them. */
  private static List<@Nullable Object> expectedRow(long i) {
    Everything e = record(i);
    List<@Nullable Object> row = new ArrayList<>();
    row.add(e.id());
    row.add(e.small());
    row.add(e.ratio());
    row.add(e.flag());
    row.add(e.maybeId());
    row.add(e.maybeSmall());
    row.add(e.maybeRatio());
    row.add(e.maybeFlag());
    row.add(e.name());
    row.add(e.at() == null ? null : e.at().toEpochMilli());
    row.add(e.bytes());
    return row;
  }

  private static final RecordSchema SCHEMA = RecordSchema.of(Everything.class);
  private static final int RECORDS = RecordEncoder.COMPILE_AFTER * 2 + 500;

  @Test
  void appendedRecordsGiveTheSameColumnsBeforeAndAfterTheWriterIsCompiled() {
    RecordEncoder encoder = new RecordEncoder(SCHEMA);
    ColumnBatch out = new ColumnBatch(SCHEMA.schema(), 16);
    for (long i = 0; i < RECORDS; i++) {
      encoder.append(record(i), out);
    }
    assertThat(encoder.compiled()).isTrue();
    assertRows(out, 0, RECORDS);
  }

  @Test
  void generatedRecordsGiveTheSameColumnsBeforeAndAfterTheWriterIsCompiled() {
    RecordEncoder encoder = new RecordEncoder(SCHEMA);
    ColumnBatch out = new ColumnBatch(SCHEMA.schema(), 16);
    long[] indexes = new long[1000];
    long[] times = new long[1000];
    for (int r = 0; r < indexes.length; r++) {
      indexes[r] = 2 * r;
      times[r] = 1_700_000_000_000L + r;
    }
    for (int round = 0; round < RECORDS / 1000; round++) {
      // From 100 to 900: the writer must honour the range it is given.
      encoder.generate((index, time) -> record(index + time - 1_700_000_000_000L), indexes, times,
          100, 900, out);
    }
    assertThat(encoder.compiled()).isTrue();
    assertThat(out.size()).isEqualTo(800 * (RECORDS / 1000));
    for (int row = 0; row < out.size(); row++) {
      long r = 100 + row % 800;
      assertThat(out.rowValues(row)).as("row %d", row).containsExactlyElementsOf(
          expectedRow(2 * r + r));
    }
  }

  @Test
  void aFewRecordsNeverCompileAWriter() {
    RecordEncoder encoder = new RecordEncoder(SCHEMA);
    ColumnBatch out = new ColumnBatch(SCHEMA.schema(), 16);
    for (long i = 0; i < 100; i++) {
      encoder.append(record(i), out);
    }
    assertThat(encoder.compiled()).isFalse();
    assertRows(out, 0, 100);
  }

  @Test
  void aRecordClassOfTheSameNameInAnotherLoaderGetsAWriterOfItsOwn() throws Exception {
    // As after an application's redeploy: the same class name, another class.
    for (int round = 0; round < 2; round++) {
      Class<?> pair = new ChildFirst(TwiceLoaded.class).loadClass(TwiceLoaded.class.getName());
      assertThat(pair).isNotEqualTo(TwiceLoaded.class);
      RecordSchema schema = RecordSchema.of(pair);
      RecordEncoder encoder = new RecordEncoder(schema);
      ColumnBatch out = new ColumnBatch(schema.schema(), 16);
      var make = pair.getConstructor(long.class, String.class);
      for (long i = 0; i < RecordEncoder.COMPILE_AFTER + 10; i++) {
        encoder.append(make.newInstance(i, "p" + i), out);
      }
      assertThat(encoder.compiled()).isTrue();
      assertThat(out.rowValues(RecordEncoder.COMPILE_AFTER + 9))
          .containsExactly((long) RecordEncoder.COMPILE_AFTER + 9, "p" + (RecordEncoder.COMPILE_AFTER + 9));
    }
  }

  /** Defines one class from its own bytes; everything else comes from the parent. */
  private static final class ChildFirst extends ClassLoader {
    private final Class<?> type;

    ChildFirst(Class<?> type) {
      super(type.getClassLoader());
      this.type = type;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(type.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        String file = name.substring(name.lastIndexOf('.') + 1) + ".class";
        try (var in = type.getResourceAsStream(file)) {
          byte[] bytes = in.readAllBytes();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (java.io.IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }

  private static void assertRows(ColumnBatch out, int from, int to) {
    assertThat(out.size()).isEqualTo(to - from);
    for (int row = from; row < to; row++) {
      assertThat(out.rowValues(row)).as("row %d", row).containsExactlyElementsOf(
          expectedRow(row));
    }
  }
}
