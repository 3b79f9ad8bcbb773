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
 *
 * <p>Event time advances with the file: file n's payments are stamped from {@code START_MILLIS +
 * n * STEP_MILLIS} to {@code DISORDER_MILLIS} later, so that rows of neighbouring files interleave
 * in time. As the source reads files in order, the watermark a batch judges file n by comes from
 * earlier files only, and is at most {@code (n - 1) * STEP_MILLIS + DISORDER_MILLIS} minus the
 * delay: below file n's times whenever the disorder is below the delay, however the files fall
 * into batches. So no payment is ever late, only the copies of earlier files' payments can be.
 */
final class InputWriter {
  /** 2024-01-01T00:00:00Z: a whole number of windows, so that file 0 starts a window. */
  static final long START_MILLIS = 1_704_067_200_000L;
  static final long STEP_MILLIS = 1_000;
  /** Below {@link CrashKind#WATERMARK_DELAY_MILLIS}, so that no payment is ever late. */
  static final long DISORDER_MILLIS = 3_000;

  private static final int KEYS = 50;
  private static final int MAX_PAYMENTS_PER_FILE = 40;
  private static final int MAX_AMOUNT = 1000;
  /** One payment in this many is written twice in its file. */
  private static final int SAME_FILE_COPY_ONE_IN = 8;
  /** Recent copies come from this many files back at most: within the watermark delay. */
  private static final int RECENT_FILES = 5;
  /** Old copies come from this many files back at least, long past the watermark. */
  private static final int OLD_FILES = 20;

  private final Path directory;
  private final Random random;
  private final boolean copiesEarlierFiles;
  private final List<Payment> written = new ArrayList<>();
  private final List<List<Payment>> files = new ArrayList<>();
  private long nextId = 1;

  /**
   * {@code copiesEarlierFiles} adds copies of earlier files' payments to each file, for the
   * deduplication; no other kind wants them, as some are late (see {@link CrashKind#DEDUP}).
   */
  InputWriter(Path directory, Random random, boolean copiesEarlierFiles) {
    this.directory = directory;
    this.random = random;
    this.copiesEarlierFiles = copiesEarlierFiles;
  }

  /** Writes one more file of 1 to 40 payments, some of them twice, and any copies. */
  void writeFile() {
    List<Payment> payments = new ArrayList<>();
    long fileTime = START_MILLIS + files.size() * STEP_MILLIS;
    for (int i = 1 + random.nextInt(MAX_PAYMENTS_PER_FILE); i > 0; i--) {
      Payment p = new Payment(String.format(Locale.ROOT, "k%02d", random.nextInt(KEYS)),
          random.nextInt(MAX_AMOUNT), nextId++, fileTime + random.nextInt((int) DISORDER_MILLIS));
      payments.add(p);
      if (random.nextInt(SAME_FILE_COPY_ONE_IN) == 0) {
        payments.add(p);
      }
    }
    if (copiesEarlierFiles) {
      addCopies(payments);
    }
    StringBuilder text = new StringBuilder();
    payments.forEach(p -> text.append(p.json()).append('\n'));
    String name = String.format(Locale.ROOT, "payments-%06d.json", files.size() + 1);
    // A name starting with '.' is skipped by the source until the move gives the file its name.
    Path temp = directory.resolve("." + name + ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.add(payments);
    written.addAll(payments);
  }

  /**
   * Adds, at random places, up to two copies of payments from the last few files, which the
   * deduplication's state must still hold, and up to one from long ago, whose key the watermark
   * has evicted and which must be dropped as late instead.
   */
  private void addCopies(List<Payment> payments) {
    for (int i = random.nextInt(3); i > 0 && !files.isEmpty(); i--) {
      insert(payments, copyFrom(1 + random.nextInt(Math.min(RECENT_FILES, files.size()))));
    }
    if (files.size() >= OLD_FILES && random.nextBoolean()) {
      insert(payments, copyFrom(OLD_FILES + random.nextInt(files.size() - OLD_FILES + 1)));
    }
  }

  /** A random payment of the file {@code back} files before the one being written. */
  private Payment copyFrom(int back) {
    List<Payment> file = files.get(files.size() - back);
    return file.get(random.nextInt(file.size()));
  }

  private void insert(List<Payment> payments, Payment copy) {
    payments.add(random.nextInt(payments.size() + 1), copy);
  }

  List<Payment> written() {
    return written;
  }
}
