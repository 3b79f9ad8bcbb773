package io.sluice.internal.connector;

import io.sluice.api.RecordGenerator;
import io.sluice.api.Row;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.RecordWriter;
import io.sluice.internal.codegen.RecordWriterCodegen;
import io.sluice.internal.codegen.StageCompiler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends user records (or {@link Row}s) to a column batch. Used by the in-memory and generated
 * sources, where records arrive as objects; file and Kafka sources decode straight into columns
 * instead.
 *
 * <p>The first records go through reflection; once {@link #COMPILE_AFTER} have, the record class's
 * generated {@link RecordWriter} takes over, compiled once per class in the JVM. A source of a few
 * records, as most tests and short demos have, so never pays for a compile.
 */
final class RecordEncoder {
  /** How many records an encoder takes by reflection before it compiles a writer. */
  static final int COMPILE_AFTER = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(RecordEncoder.class);
  private static final ClassValue<Optional<RecordWriter>> WRITERS = new ClassValue<>() {
    @Override
    protected Optional<RecordWriter> computeValue(Class<?> type) {
      return compile(RecordSchema.of(type));
    }
  };

  private final @Nullable RecordSchema record;
  private final Method[] accessors;
  private @Nullable RecordWriter writer;
  private long encoded;

  RecordEncoder(@Nullable RecordSchema record) {
    this.record = record;
    int n = record == null ? 0 : record.schema().size();
    this.accessors = new Method[n];
    for (int i = 0; i < n; i++) {
      accessors[i] = record.accessorMethod(i);
      accessors[i].setAccessible(true);
    }
  }

  void append(Object value, ColumnBatch out) {
    if (record == null) {
      out.appendRow(((Row) value).values());
      return;
    }
    RecordWriter compiled = writer(1);
    if (compiled != null) {
      compiled.append(value, out);
    } else {
      appendByReflection(value, out);
    }
  }

  /** Appends the records {@code generator} makes; see {@link RecordWriter#generate}. */
  void generate(RecordGenerator<?> generator, long[] indexes, long[] times, int from, int to,
      ColumnBatch out) {
    RecordWriter compiled = record == null ? null : writer(to - from);
    if (compiled != null) {
      compiled.generate(generator, indexes, times, from, to, out);
      return;
    }
    for (int r = from; r < to; r++) {
      append(generator.generate(indexes[r], times[r]), out);
    }
  }

  /** Whether the record class's generated writer now encodes. */
  boolean compiled() {
    return writer != null;
  }

  /** The compiled writer once enough records have gone through, else null. */
  private @Nullable RecordWriter writer(int more) {
    if (writer == null && (encoded += more) >= COMPILE_AFTER) {
      writer = WRITERS.get(record.type()).orElse(null);
    }
    return writer;
  }

  private void appendByReflection(Object value, ColumnBatch out) {
    Object[] values = new Object[accessors.length];
    try {
      for (int i = 0; i < accessors.length; i++) {
        Object v = accessors[i].invoke(value);
        values[i] = v instanceof Instant t ? (Object) t.toEpochMilli() : v;
      }
    } catch (InvocationTargetException e) {
      // What the accessor threw, as the compiled writer, which calls it directly, lets it through.
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("cannot read " + record.type().getName(), e);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + record.type().getName(), e);
    }
    out.appendRow(values);
  }

  private static Optional<RecordWriter> compile(RecordSchema record) {
    ClassLoader loader = record.type().getClassLoader();
    try {
      // A compiler of its own: the class value caches per class, and a cache by source text would
      // hand a class of the same name from another loader this one's writer.
      Class<?> type = new StageCompiler(null).compile(RecordWriterCodegen.generate(record),
          loader != null ? loader : RecordEncoder.class.getClassLoader());
      return Optional.of((RecordWriter) type.getConstructor().newInstance());
    } catch (RuntimeException | LinkageError | ReflectiveOperationException e) {
      // A class loader that cannot see Sluice's classes, say: reflection still works.
      LOG.debug("records of {} stay encoded by reflection: {}", record.type().getName(),
          e.toString());
      return Optional.empty();
    }
  }
}
