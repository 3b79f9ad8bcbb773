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
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files the file source accepts, in what order, and how offsets bound a batch. */
class FileSourceOffsetsTest {
  private static final Schema SCHEMA = Schema.of(Field.required("n", DataType.INT));

  @TempDir Path dir;

  private FileSource source(Options options) {
    return new FileSource(dir, "json", SCHEMA, options);
  }

  private void file(String name, long modifiedSeconds, int n) {
    write(dir, name, modifiedSeconds, "{\"n\": " + n + "}");
  }

  @Test
  void describesItselfByDirectory() {
    assertThat(source(options()).description()).isEqualTo("FileSource[" + dir + "]");
    assertThat(source(options()).schema()).isEqualTo(SCHEMA);
  }

  @Test
  void noOffsetWhileTheDirectoryIsEmpty() {
    assertThat(source(options()).latestOffset(null)).isNull();
  }

  @Test
  void picksUpNewFilesAcrossCalls() {
    FileSource source = source(options());
    file("a.json", 10, 1);
    Offset first = source.latestOffset(null);
    assertThat(first).isEqualTo(offset(1));
    assertThat(read(source, null, first)).containsExactly(row(1));

    assertThat(source.latestOffset(first)).isEqualTo(first);

    file("b.json", 20, 2);
    file("c.json", 30, 3);
    Offset second = source.latestOffset(first);
    assertThat(second).isEqualTo(offset(3));
    assertThat(read(source, first, second)).containsExactly(row(2), row(3));
  }

  @Test
  void ordersNewFilesByModificationTimeThenName() {
    file("z.json", 10, 1);
    file("b.json", 20, 3);
    file("a.json", 20, 2);
    FileSource source = source(options());

    assertThat(read(source, null, source.latestOffset(null)))
        .containsExactly(row(1), row(2), row(3));
  }

  @Test
  void aLateFileWithAnOldTimeDoesNotShiftEarlierOffsets() {
    FileSource source = source(options());
    file("b.json", 20, 2);
    Offset first = source.latestOffset(null);
    file("a.json", 10, 1);
    Offset second = source.latestOffset(first);

    assertThat(read(source, null, first)).containsExactly(row(2));
    assertThat(read(source, first, second)).containsExactly(row(1));
  }

  @Test
  void ignoresHiddenMetadataAndTemporaryFilesAndSubdirectories() throws Exception {
    file("a.json", 10, 1);
    file(".hidden.json", 10, 2);
    file("_SUCCESS", 10, 3);
    file("part.json.tmp", 10, 4);
    Files.createDirectory(dir.resolve("sub"));
    write(dir.resolve("sub"), "inner.json", 10, "{\"n\": 5}");
    FileSource source = source(options());

    assertThat(source.latestOffset(null)).isEqualTo(offset(1));
    assertThat(read(source, null, offset(1))).containsExactly(row(1));
  }

  @Test
  void maxFilesPerTriggerBoundsEachBatch() {
    for (int i = 0; i < 5; i++) {
      file("f" + i + ".json", 10 + i, i);
    }
    FileSource source = source(options("maxFilesPerTrigger", "2"));

    Offset first = source.latestOffset(null);
    Offset second = source.latestOffset(first);
    Offset third = source.latestOffset(second);
    assertThat(first).isEqualTo(offset(2));
    assertThat(second).isEqualTo(offset(4));
    assertThat(third).isEqualTo(offset(5));
    assertThat(source.latestOffset(third)).isEqualTo(offset(5));
    assertThat(read(source, first, second)).containsExactly(row(2), row(3));
  }

  @Test
  void maxFilesPerTriggerMustBePositive() {
    assertThatThrownBy(() -> source(options("maxFilesPerTrigger", "0")))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "[Sluice/InvalidOption] test connector option 'maxFilesPerTrigger' is '0' but must be a"
                + " positive number");
  }

  @Test
  void availableNowPinsTheEndAtTheFilesPresentWhenPrepared() {
    file("a.json", 10, 1);
    file("b.json", 20, 2);
    FileSource source = source(options("maxFilesPerTrigger", "1"));
    source.prepareForAvailableNow();
    file("c.json", 30, 3);

    Offset first = source.latestOffset(null);
    Offset second = source.latestOffset(first);
    assertThat(first).isEqualTo(offset(1));
    assertThat(second).isEqualTo(offset(2));
    assertThat(source.latestOffset(second)).isEqualTo(offset(2));
    assertThat(read(source, null, second)).containsExactly(row(1), row(2));
  }

  @Test
  void readingARangeAgainGivesTheSameRows() {
    file("a.json", 10, 1);
    file("b.json", 20, 2);
    FileSource source = source(options());
    Offset end = source.latestOffset(null);

    assertThat(read(source, offset(1), end)).containsExactly(row(2));
    assertThat(read(source, offset(1), end)).containsExactly(row(2));
  }

  @Test
  void aNewSourceOnTheSameDirectoryReadsALoggedRangeWithoutListingFirst() {
    file("a.json", 10, 1);
    file("b.json", 20, 2);

    assertThat(read(source(options()), offset(1), offset(2))).containsExactly(row(2));
  }

  @Test
  void offsetsBeyondTheFilesAreAnError() {
    file("a.json", 10, 1);

    assertThatThrownBy(() -> read(source(options()), null, offset(3)))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("file source offsets 0 to 3 are beyond the 1 files in " + dir);
  }

  @Test
  void missingDirectoryIsAnError() {
    FileSource source = new FileSource(dir.resolve("nope"), "json", SCHEMA, options());

    assertThatThrownBy(() -> source.latestOffset(null))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "[Sluice/Connector] file source directory " + dir.resolve("nope") + " does not exist");
  }
}
