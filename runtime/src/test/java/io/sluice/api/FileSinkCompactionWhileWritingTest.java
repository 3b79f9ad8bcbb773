package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Numbered;
import io.sluice.internal.connector.FileSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of the small-files work: a query writes many small batches to a JSON file
 * sink whose log folds every few batches, compactions merge its files meanwhile, a reader keeps
 * reading the committed set, and a streaming query keeps copying the output; no reader ever sees
 * a row missing or twice.
 */
class FileSinkCompactionWhileWritingTest {
  private static final int STEPS = 120;
  private static final int ROWS_PER_STEP = 3;
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  @TempDir Path out;
  @TempDir Path checkpoint;

  @Test
  void readersSeeEveryCommittedRowOnceWhileCompactionsRunBesideTheWritingQuery()
      throws Exception {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Numbered> input = engine.memoryStream(Numbered.class);
      StreamingQuery writer = input.toDataset().writeStream().format("json")
          .option("checkpointLocation", checkpoint.toString()).option("compactInterval", "4")
          .start(out.toString());
      StreamingQuery copy = engine.readStream().json(out.toString(), Numbered.class)
          .writeStream().format("memory").queryName("copy").start();
      BlockingQueue<Long> stepsDone = new LinkedBlockingQueue<>();

      CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
        for (long step = 0; step < STEPS; step++) {
          input.addData(rowsOf(step));
          writer.processAllAvailable();
          // So that batch b holds exactly the rows of step b.
          assertThat(FileSink.latestCommittedBatch(out)).isEqualTo(step);
          stepsDone.add(step);
        }
      });
      CompletableFuture<Integer> compacting = CompletableFuture.supplyAsync(() -> {
        int merged = 0;
        for (long step = 0; step < STEPS - 1; step = take(stepsDone)) {
          merged += FileSinkCompaction.compact(out, 1_000).filesMerged();
        }
        return merged;
      });

      Snapshots snapshots = new Snapshots();
      while (!writing.isDone()) {
        snapshots.readAndCheck(out);
      }
      writing.join();
      int merged = compacting.join();
      copy.processAllAvailable();

      assertThat(merged).isGreaterThan(STEPS / 2);
      assertThat(snapshots.read).isPositive();
      assertThat(snapshots.withMergedFiles).isPositive();
      List<Long> everything = LongStream.range(0, (long) STEPS * ROWS_PER_STEP).boxed().toList();
      assertThat(idsOf(FileSink.committedFiles(out))).containsExactlyInAnyOrderElementsOf(
          everything);
      assertThat(engine.table("copy")).extracting(r -> (Long) r.get("id"))
          .containsExactlyInAnyOrderElementsOf(everything);

      FileSinkCompaction.vacuum(out, Duration.ZERO);
      assertThat(idsOf(FileSink.committedFiles(out))).containsExactlyInAnyOrderElementsOf(
          everything);
      assertThat(dataFiles()).hasSameSizeAs(FileSink.committedFiles(out));
      writer.stop();
      copy.stop();
    }
  }

  /** The reader: each snapshot of the committed files must hold whole batches, each row once. */
  private static final class Snapshots {
    int read;
    int withMergedFiles;

    void readAndCheck(Path out) {
      long committedBefore = FileSink.latestCommittedBatch(out);
      List<Path> files = FileSink.committedFiles(out);
      List<Long> ids = idsOf(files);
      assertThat(new HashSet<>(ids)).as("no row twice").hasSameSizeAs(ids);
      assertThat(ids).as("whole batches from the first")
          .containsExactlyInAnyOrderElementsOf(LongStream.range(0, ids.size()).boxed().toList());
      assertThat(ids.size() % ROWS_PER_STEP).isZero();
      assertThat((long) ids.size() / ROWS_PER_STEP - 1).as("every batch committed before listing")
          .isGreaterThanOrEqualTo(committedBefore);
      read++;
      if (files.stream().anyMatch(f -> f.getFileName().toString().startsWith("merged-"))) {
        withMergedFiles++;
      }
    }
  }

  private static List<Numbered> rowsOf(long step) {
    List<Numbered> rows = new ArrayList<>();
    for (long i = 0; i < ROWS_PER_STEP; i++) {
      rows.add(new Numbered(step * ROWS_PER_STEP + i, step));
    }
    return rows;
  }

  private static long take(BlockingQueue<Long> steps) {
    try {
      return steps.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Long> idsOf(List<Path> files) {
    List<Long> ids = new ArrayList<>();
    for (Path file : files) {
      try {
        for (String line : Files.readAllLines(file)) {
          Matcher m = ID.matcher(line);
          assertThat(m.find()).as("a row in %s", file).isTrue();
          ids.add(Long.parseLong(m.group(1)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ids;
  }

  private List<Path> dataFiles() throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(p -> !p.getFileName().toString().startsWith("_")).toList();
    }
  }
}
