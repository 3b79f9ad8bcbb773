package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.connector.kafka.KafkaSource;
import io.sluice.internal.connector.kafka.PartitionShare;
import io.sluice.internal.plan.InputShare;
import io.sluice.internal.plan.SourceProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Builds source providers from a format name and options, as {@code readStream().format(...)}. */
public final class SourceProviders {
  private SourceProviders() {}

  /** The provider of a {@code rate}, {@code json} or {@code csv} source. */
  public static SourceProvider forFormat(String format, Map<String, String> options,
      @Nullable Schema schema, @Nullable String path, boolean streaming) {
    return forFormat(format, options, schema, path, streaming, Set.of());
  }

  /**
   * The same, where the BIGINT columns {@code epochMillisTimes} hold event times in epoch
   * milliseconds, which files may also write as timestamp text.
   */
  public static SourceProvider forFormat(String format, Map<String, String> options,
      @Nullable Schema schema, @Nullable String path, boolean streaming,
      Set<String> epochMillisTimes) {
    String f = format.toLowerCase(Locale.ROOT);
    switch (f) {
      case "rate":
        Schema rate = Schema.of(io.sluice.api.Field.required("timestamp",
            io.sluice.api.DataType.TIMESTAMP), io.sluice.api.Field.required("value",
            io.sluice.api.DataType.LONG));
        requireStreaming(f, streaming);
        return SourceProvider.of(rate, true, "RateSource", clock -> new RateSource(
            new Options("rate source", options), clock));
      case "json":
      case "csv":
        if (schema == null) {
          throw new SluiceException(ErrorKind.INVALID_OPTION, "the " + f
              + " source needs a schema: pass an event class, e.g. json(path, Click.class), "
              + "or call schema(...) first");
        }
        String dir = path != null ? path : new Options(f + " source", options).required("path");
        Map<String, String> effective = new HashMap<>(options);
        if (!streaming) {
          effective.remove("maxFilesPerTrigger");
        }
        return SourceProvider.of(schema, streaming, "FileSource[" + Path.of(dir).toAbsolutePath().normalize() + "]", clock -> {
          Source source = new FileSource(Path.of(dir), f, schema, new Options(f + " source",
              effective), epochMillisTimes);
          if (!streaming) {
            source.prepareForAvailableNow();
          }
          return source;
        });
      case "kafka":
        if (schema != null) {
          throw new SluiceException(ErrorKind.INVALID_OPTION, "Kafka source has a fixed schema"
              + " and cannot be set with a custom one: " + KafkaSource.SCHEMA + "; to decode"
              + " values into events, use load(YourEvent.class) with option valueFormat");
        }
        return kafka(options, streaming, null);
      default:
        throw new SluiceException(ErrorKind.INVALID_OPTION,
            "unknown source format '" + format + "'; available: rate, json, csv, kafka, memory "
                + "(MemoryStream)");
    }
  }

  /**
   * The provider of a source read as records of {@code record}: a {@code kafka} source decodes
   * each value into one (option {@code valueFormat}), a {@code json} or {@code csv} one reads the
   * files in option {@code path}.
   */
  public static SourceProvider forEvents(String format, Map<String, String> options,
      RecordSchema record, boolean streaming) {
    if (format.equalsIgnoreCase("kafka")) {
      return kafka(options, streaming, record);
    }
    if (format.equalsIgnoreCase("rate")) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "the rate source has a fixed schema"
          + " (timestamp, value); for records of " + record.type().getSimpleName()
          + " use generate(" + record.type().getSimpleName() + ".class, generator)");
    }
    return forFormat(format, options, record.schema(), null, streaming,
        record.epochMillisEventTimes());
  }

  private static SourceProvider kafka(Map<String, String> options, boolean streaming,
      @Nullable RecordSchema events) {
    Options kafka = new Options("kafka source", options);
    // Built once now so that bad options fail at load(), as in Spark; it connects lazily.
    KafkaSource checked = new KafkaSource(kafka, streaming, events);
    InputShare share = PartitionShare.forPlanning(kafka, checked.keyColumn());
    return SourceProvider.of(checked.schema(), streaming, checked.description(), share,
        clock -> {
          Source source = new KafkaSource(kafka, streaming, events);
          if (!streaming) {
            source.prepareForAvailableNow();
          }
          return source;
        });
  }

  /** The provider of records a function makes at the rate the options give. */
  public static SourceProvider generated(Map<String, String> options,
      RecordSchema record, io.sluice.api.RecordGenerator<?> generator) {
    String description = "GeneratedSource[" + record.type().getSimpleName() + "]";
    return SourceProvider.of(record.schema(), true, description, clock ->
        new GeneratedSource(new Options("generated source", options), clock, record, generator));
  }

  /** The provider of records held in memory. */
  public static SourceProvider forRecords(String description, Schema schema,
      @Nullable RecordSchema record, Supplier<List<?>> records,
      boolean streaming) {
    return SourceProvider.of(schema, streaming, description,
        clock -> new RecordListSource(description, schema, record, records, null));
  }

  /** The provider of a stream of records held in memory, which {@code arrival} says grew. */
  public static SourceProvider forRecords(String description, Schema schema,
      @Nullable RecordSchema record, Supplier<List<?>> records, DataArrival arrival) {
    return SourceProvider.of(schema, true, description,
        clock -> new RecordListSource(description, schema, record, records, arrival));
  }

  private static void requireStreaming(String format, boolean streaming) {
    if (!streaming) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "the " + format + " source is unbounded: use readStream(), not read()");
    }
  }
}
