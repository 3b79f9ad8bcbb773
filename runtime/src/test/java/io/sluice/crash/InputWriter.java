package io.sluice.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Feeds the query's input folder with files of random payments, each arriving whole by one atomic
 * move (the file source's contract), and remembers every payment for the expected output.
 */
final class InputWriter {
  private static final int KEYS = 50;
  private static final int MAX_PAYMENTS_PER_FILE = 40;
  private static final int MAX_AMOUNT = 1000;

  private final Path directory;
  private final Random random;
  private final List<Payment> written = new ArrayList<>();
  private int files;

  InputWriter(Path directory, Random random) {
    this.directory = directory;
    this.random = random;
  }

  /** Writes one more file of 1 to 40 payments. */
  void writeFile() {
    List<Payment> payments = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 1 + random.nextInt(MAX_PAYMENTS_PER_FILE); i > 0; i--) {
      Payment p = new Payment(String.format(Locale.ROOT, "k%02d", random.nextInt(KEYS)),
          random.nextInt(MAX_AMOUNT));
      payments.add(p);
      text.append(p.json()).append('\n');
    }
    String name = String.format(Locale.ROOT, "payments-%06d.json", ++files);
    // A name starting with '.' is skipped by the source until the move gives the file its name.
    Path temp = directory.resolve("." + name + ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written.addAll(payments);
  }

  List<Payment> written() {
    return written;
  }
}
