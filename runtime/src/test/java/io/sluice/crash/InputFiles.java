package io.sluice.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Input files as the file source wants them: each arrives whole, by one atomic move. */
final class InputFiles {
  private InputFiles() {}

  /** Writes {@code lines} to a hidden temporary file, then moves it to {@code name}. */
  static void write(Path directory, String name, List<String> lines) {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line).append('\n'));
    // A name starting with '.' is skipped by the source until the move gives the file its name.
    Path temp = directory.resolve("." + name + ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
