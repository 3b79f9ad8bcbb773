package io.sluice.internal.connector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the records a source could not decode, one JSON line each: {@code {"file": ..., "line":
 * N, "error": ..., "record": raw}}.
 *
 * <p>One writer serves one read of a source and becomes visible as one file only when the read
 * succeeds ({@link #commit}). The file is named after the range read, so a batch that is re-run
 * after a failure replaces its dead letters instead of adding them twice.
 */
final class DeadLetterWriter implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);

  private final Path target;
  private final Path temp;
  private @Nullable FileChannel channel;
  private @Nullable JsonGenerator generator;
  private long written;

  DeadLetterWriter(Path directory, String fileName) {
    this.target = directory.resolve(fileName);
    this.temp = AtomicFiles.tempFor(target);
  }

  /** Records one bad record. */
  void write(Path file, long line, String error, String raw) {
    try {
      JsonGenerator out = open();
      out.writeStartObject();
      out.writeStringField("file", file.toString());
      out.writeNumberField("line", line);
      out.writeStringField("error", error);
      out.writeStringField("record", raw);
      out.writeEndObject();
      out.writeRaw('\n');
      written++;
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** How many records were written. */
  long written() {
    return written;
  }

  /** Makes the file visible and durable; nothing happens if no record was bad. */
  void commit() {
    JsonGenerator out = generator;
    FileChannel file = channel;
    if (out == null || file == null) {
      return;
    }
    try {
      out.flush();
      file.force(true);
      out.close();
      file.close();
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      generator = null;
      channel = null;
      AtomicFiles.fsyncDirectory(target.getParent());
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** Discards the records of a read that failed. */
  @Override
  public void close() {
    if (generator == null) {
      return;
    }
    try {
      generator.close();
    } catch (IOException e) {
      // The file is deleted next; a failed close changes nothing.
    }
    generator = null;
    channel = null;
    AtomicFiles.deleteQuietly(temp);
  }

  private JsonGenerator open() throws IOException {
    if (generator == null) {
      Files.createDirectories(target.getParent());
      FileChannel file =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      channel = file;
      generator = JSON.createGenerator(new BufferedOutputStream(Channels.newOutputStream(file)));
    }
    return generator;
  }

  private SluiceException failure(IOException e) {
    return new SluiceException(
        ErrorKind.CONNECTOR,
        "could not write dead letters to " + target + ": " + e.getMessage(),
        e);
  }
}
