package io.sluice.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *
 * <p>For sessions ({@link CrashKind#keysInBursts}) keys take turns instead of being picked at
 * random: key {@code k} of {@value #ROTATION_KEYS} starts a burst at each file n with {@code n %
 * ROTATION_KEYS == k}, has payments in every file of the burst (1 to {@value #MAX_BURST_FILES}
 * files) and none until its next burst. So which payments make a session cannot depend on the
 * batches: within a burst a key's payments are at most {@code STEP_MILLIS + DISORDER_MILLIS}
 * (4 s) apart, below the session gap; and the watermark after any file of the burst stays below
 * that file's times (the disorder is below the delay), where the key has a payment, so the
 * session cannot time out in the middle. Between bursts, the next one's first file m is at least
 * {@code ROTATION_KEYS - MAX_BURST_FILES + 1} (35) files after the last one's last file e. A
 * batch reads at most four files (the child's {@code maxFilesPerTrigger}), so the batch before
 * the one that reads file m
 * reads none of the key's files and has a watermark from files up to m - 8 at least: {@code (m -
 * 8) * STEP_MILLIS} less the delay, past the old session's timeout (before {@code e * STEP_MILLIS
 * + DISORDER_MILLIS} plus the gap) whenever {@code (m - 8 - e) * STEP_MILLIS} is at least
 * disorder, delay and gap together (18 s). So the old session has timed out before any payment
 * of the next one arrives, however the files fall into batches.
 */
final class InputWriter implements CrashInput {
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
  /** Keys taking turns for sessions: one starts a burst at each file. */
  static final int ROTATION_KEYS = 40;
  static final int MAX_BURST_FILES = 6;
  /**
   * The key of the payment that ends the input of a kind that {@link CrashKind#flushesTimers}:
   * outside the rotation, so that no session of another key takes it in.
   */
  static final String FLUSH_KEY = "flush";

  private final Path directory;
  private final Random random;
  private final CrashKind kind;
  private final boolean copiesEarlierFiles;
  private final boolean keysInBursts;
  private final boolean flushesTimers;
  /** For bursts: how many more files, this one included, each key's burst lasts. */
  private final int[] burstFilesLeft = new int[ROTATION_KEYS];
  private final List<Payment> written = new ArrayList<>();
  private final List<List<Payment>> files = new ArrayList<>();
  private long nextId = 1;

  /**
   * Payments for {@code kind}: with copies of earlier files' payments in each file for the
   * deduplication ({@link CrashKind#copiesEarlierFiles}; no other kind wants them, as some are
   * late), with keys in bursts for sessions ({@link CrashKind#keysInBursts}).
   */
  InputWriter(Path directory, Random random, CrashKind kind) {
    this.directory = directory;
    this.random = random;
    this.kind = kind;
    this.copiesEarlierFiles = kind.copiesEarlierFiles();
    this.keysInBursts = kind.keysInBursts();
    this.flushesTimers = kind.flushesTimers();
  }

  /**
   * Writes one more file of 1 to 40 payments (in bursts, one at least for each key of a burst),
   * some of them twice, and any copies.
   */
  @Override
  public void writeFile() {
    writeFile(false);
  }

  /**
   * Writes the file the last run gets, as {@link #writeFile()}; for a kind that {@link
   * CrashKind#flushesTimers}, with one more payment of {@link #FLUSH_KEY} at the end, {@code
   * DISORDER_MILLIS} plus the session gap plus the watermark delay after the file's time. Every
   * other payment is earlier than the file's time plus the disorder, so every other key's timer,
   * at most the gap after that, is at or behind the final watermark (the flush payment's time less
   * the delay) and fires in the last run; only the flush key's own session stays open.
   */
  @Override
  public void writeLastFile() {
    writeFile(flushesTimers);
  }

  private void writeFile(boolean flush) {
    List<Payment> payments = new ArrayList<>();
    long fileTime = START_MILLIS + files.size() * STEP_MILLIS;
    List<Integer> keys = keysInBursts ? burstKeys() : List.of();
    int count = Math.max(keys.size(), 1 + random.nextInt(MAX_PAYMENTS_PER_FILE));
    for (int i = 0; i < count; i++) {
      // In bursts: each key of the burst once, then keys of the burst at random.
      int key = !keysInBursts ? random.nextInt(KEYS)
          : keys.get(i < keys.size() ? i : random.nextInt(keys.size()));
      Payment p = new Payment(String.format(Locale.ROOT, "k%02d", key),
          random.nextInt(MAX_AMOUNT), nextId++, fileTime + random.nextInt((int) DISORDER_MILLIS));
      payments.add(p);
      if (random.nextInt(SAME_FILE_COPY_ONE_IN) == 0) {
        payments.add(p);
      }
    }
    if (copiesEarlierFiles) {
      addCopies(payments);
    }
    if (flush) {
      payments.add(new Payment(FLUSH_KEY, 0, nextId++, fileTime + DISORDER_MILLIS
          + CrashKind.SESSION_GAP_MILLIS + CrashKind.WATERMARK_DELAY_MILLIS));
    }
    InputFiles.write(directory, String.format(Locale.ROOT, "payments-%06d.json", files.size() + 1),
        payments.stream().map(Payment::json).toList());
    files.add(payments);
    written.addAll(payments);
  }

  /**
   * The keys with payments in the file being written: the one whose turn starts a burst, and
   * those whose bursts go on.
   */
  private List<Integer> burstKeys() {
    burstFilesLeft[files.size() % ROTATION_KEYS] = 1 + random.nextInt(MAX_BURST_FILES);
    List<Integer> keys = new ArrayList<>();
    for (int k = 0; k < ROTATION_KEYS; k++) {
      if (burstFilesLeft[k] > 0) {
        burstFilesLeft[k]--;
        keys.add(k);
      }
    }
    return keys;
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

  @Override
  public long rows() {
    return written.size();
  }

  @Override
  public Map<List<Object>, Long> expectedRows() {
    return ExpectedOutput.rows(kind, written);
  }

  @Override
  public Map<String, Totals> expectedTotals() {
    return ExpectedOutput.totals(written);
  }
}
