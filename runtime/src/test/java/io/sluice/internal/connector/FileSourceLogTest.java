package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.offset;
import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static io.sluice.internal.connector.ConnectorTestSupport.row;
import static io.sluice.internal.connector.ConnectorTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file source keeps the files it accepted in its checkpoint folder as segments, one per
 * refresh that found files, folded together now and then, and reads them back in order.
 */
class FileSourceLogTest {
  private static final Schema SCHEMA = Schema.of(Field.required("n", DataType.INT));

  @TempDir Path dir;
  @TempDir Path checkpoint;

  private FileSource restarted() {
    FileSource source = new FileSource(dir, "json", SCHEMA, options());
    source.useCheckpoint(checkpoint);
    return source;
  }

  private List<String> segments() throws IOException {
    try (Stream<Path> files = Files.list(checkpoint.resolve("files"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void eachRefreshThatFindsFilesAddsOneSegmentNamedByItsFirstIndex() throws IOException {
    FileSource source = restarted();
    write(dir, "a.json", 10, "{\"n\": 1}");
    write(dir, "b.json", 20, "{\"n\": 2}");
    source.latestOffset(null);
    source.latestOffset(offset(2));
    write(dir, "c.json", 30, "{\"n\": 3}");
    source.latestOffset(offset(2));
    assertThat(segments()).containsExactly("0", "2");
    assertThat(CheckpointFile.read(checkpoint.resolve("files/2"))).isEqualTo("c.json\n");
  }

  @Test
  void aRestartReadsTheSameFilesForTheSameOffsetsAfterFolding() throws IOException {
    FileSource source = restarted();
    int count = FileCatalog.SEGMENTS_PER_COMPACTION + 5;
    for (int i = 0; i < count; i++) {
      write(dir, "f" + (2000 - i) + ".json", 10 + i, "{\"n\": " + i + "}");
      source.latestOffset(null);
    }
    assertThat(segments()).hasSizeLessThan(10);
    // Listed now, by time then name, the files would come in reverse: the log must decide.
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(5_000));
      }
    }
    FileSource again = restarted();
    assertThat(read(again, offset(0), offset(count))).hasSize(count)
        .startsWith(row(0)).endsWith(row(count - 1));
  }

  @Test
  void aMissingSegmentIsAnErrorNamingTheNextOne() throws IOException {
    FileSource source = restarted();
    for (int i = 0; i < 3; i++) {
      write(dir, "f" + i + ".json", 10 + i, "{\"n\": " + i + "}");
      source.latestOffset(null);
    }
    Files.delete(checkpoint.resolve("files/1"));
    assertThatThrownBy(this::restarted).isInstanceOf(SluiceException.class)
        .hasMessageContaining("checkpoint file " + checkpoint.resolve("files/2")
            + " lists files from index 2 but the segments before it list only 1");
  }
}
