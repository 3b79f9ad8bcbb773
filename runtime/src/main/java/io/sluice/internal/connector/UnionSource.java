package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The sources of a union read as one: its offset is each input's offset, and a batch reads each
 * input's range in turn, telling the reader which input every chunk comes from, since each input
 * has its own stage.
 */
public final class UnionSource implements Source {
  private final List<Source> inputs;
  private final Schema schema;

  public UnionSource(List<Source> inputs, Schema schema) {
    this.inputs = List.copyOf(inputs);
    this.schema = schema;
  }

  /** Each input's offset, in input order; null for an input without data yet. */
  public record UnionOffset(List<@Nullable Offset> offsets) implements Offset {
    /** One line per input, so that inputs' own offsets need no escaping. */
    @Override
    public String json() {
      List<String> lines = new ArrayList<>();
      for (Offset o : offsets) {
        lines.add(o == null ? "null" : o.json());
      }
      return String.join("\n", lines);
    }
  }

  /** Receives a chunk of input {@code input}. */
  @FunctionalInterface
  public interface InputChunkConsumer {
    void accept(int input, io.sluice.internal.batch.ColumnBatch chunk);
  }

  public List<Source> inputs() {
    return inputs;
  }

  @Override
  public String description() {
    List<String> parts = new ArrayList<>();
    for (Source s : inputs) {
      parts.add(s.description());
    }
    return "Union[" + String.join(", ", parts) + "]";
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public @Nullable Offset latestOffset(@Nullable Offset start) {
    List<@Nullable Offset> latest = new ArrayList<>();
    boolean any = false;
    for (int i = 0; i < inputs.size(); i++) {
      Offset o = inputs.get(i).latestOffset(input(start, i));
      any |= o != null;
      latest.add(o);
    }
    return any ? new UnionOffset(latest) : null;
  }

  @Override
  public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
    read(start, end, (input, chunk) -> out.accept(chunk));
  }

  /** Reads each input's part of {@code (start, end]}, in input order. */
  public void read(@Nullable Offset start, Offset end, InputChunkConsumer out) {
    for (int i = 0; i < inputs.size(); i++) {
      Offset from = input(start, i);
      Offset to = input(end, i);
      if (to != null && !to.equals(from)) {
        int input = i;
        inputs.get(i).read(from, to, chunk -> out.accept(input, chunk));
      }
    }
  }

  private static @Nullable Offset input(@Nullable Offset union, int i) {
    return union == null ? null : ((UnionOffset) union).offsets().get(i);
  }

  @Override
  public void prepareForAvailableNow() {
    inputs.forEach(Source::prepareForAvailableNow);
  }

  @Override
  public void readAllAvailable() {
    inputs.forEach(Source::readAllAvailable);
  }

  @Override
  public void onNewData(Runnable wake) {
    inputs.forEach(input -> input.onNewData(wake));
  }

  @Override
  public void commit(Offset end) {
    for (int i = 0; i < inputs.size(); i++) {
      Offset o = input(end, i);
      if (o != null) {
        inputs.get(i).commit(o);
      }
    }
  }

  @Override
  public Offset offsetFromJson(String json) {
    String[] lines = json.split("\n", -1);
    if (lines.length != inputs.size()) {
      throw new SluiceException(ErrorKind.CHECKPOINT, description() + " expects "
          + inputs.size() + " offsets, one line per input, but the checkpoint has "
          + lines.length);
    }
    List<@Nullable Offset> offsets = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      offsets.add(line.equals("null") ? null : inputs.get(i).offsetFromJson(line));
    }
    return new UnionOffset(offsets);
  }

  /** Gives input {@code i} the folder {@code directories.apply(i)} of the checkpoint. */
  public void useCheckpoints(IntFunction<Path> directories) {
    for (int i = 0; i < inputs.size(); i++) {
      inputs.get(i).useCheckpoint(directories.apply(i));
    }
  }

  @Override
  public void useCheckpoint(Path directory) {
    throw new IllegalStateException("a union gives each input its own folder: useCheckpoints");
  }

  @Override
  public Map<String, String> metrics() {
    return Map.of();
  }

  @Override
  public void stop() {
    RuntimeException first = null;
    for (Source s : inputs) {
      try {
        s.stop();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
