package io.sluice.crash;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Feeds the join kind's two input folders, impressions (the left side) and clicks (the right), a
 * file to each at every step, and remembers every event for the expected output.
 *
 * <p>Each side's event times advance with its files as the payments' do (see {@link
 * InputWriter}): file n's events are stamped from {@code START_MILLIS + n * STEP_MILLIS} to
 * {@code DISORDER_MILLIS} later. Nothing is ever late, however the files of either side fall into
 * batches: the query's watermark is the lower of the two sides' (latest event time less the
 * delay), so at most the side's own, and each source reads its folder in order, so that the
 * watermark a batch judges a side's file n by comes from that side's earlier files at most: below
 * {@code (n - 1) * STEP_MILLIS + DISORDER_MILLIS} less the delay, below file n's times as the
 * disorder is below the delay. One side may run ahead of the other (a batch may find file n of
 * one side and not yet the other's); that only holds the watermark back.
 *
 * <p>So no stored row goes before its partner arrives. With the condition {@code r.time >=
 * l.time AND r.time <= l.time + 10 s}, the join lets a click go once its time is at most the
 * batch's watermark W less 1 ms, and an impression once its time is at most W less 10.001 s. A
 * click's partner l arrives in a batch whose previous watermark is below l.time (l is not late),
 * and every earlier batch's W is at most that: below l.time, so below r.time, and the click
 * stayed. An impression's partner r arrives in a batch whose previous watermark is below r.time,
 * at most l.time + 10 s, so every earlier W was below l.time + 10 s and the impression stayed.
 * The join's output is therefore every pair and, for each impression no click matched, one row
 * with nulls once the watermark lets the impression go, however the files fall into batches.
 *
 * <p>Clicks fall on the first {@value #CLICKED_KEYS} of the {@value #KEYS} keys, so that the
 * impressions of the others never match; those of the clicked keys match a few clicks or, now and
 * then, none in their ten seconds. Some clicks of a key come before an impression, or more than
 * ten seconds after, and must not match it.
 */
final class JoinInputWriter implements CrashInput {
  private static final int KEYS = 50;
  private static final int CLICKED_KEYS = 30;
  private static final int MAX_IMPRESSIONS_PER_FILE = 20;
  private static final int MAX_CLICKS_PER_FILE = 10;

  private final Path impressionFolder;
  private final Path clickFolder;
  private final Random random;
  private final List<AdEvent> impressions = new ArrayList<>();
  private final List<AdEvent> clicks = new ArrayList<>();
  private int files;
  private long nextId = 1;

  JoinInputWriter(Path impressionFolder, Path clickFolder, Random random) {
    this.impressionFolder = impressionFolder;
    this.clickFolder = clickFolder;
    this.random = random;
  }

  /** Writes one more file of 1 to 20 impressions, then one of 1 to 10 clicks. */
  @Override
  public void writeFile() {
    writeFiles(false);
  }

  /**
   * Writes the files the last run gets, as {@link #writeFile()}, each with one more event of
   * {@link InputWriter#FLUSH_KEY} at the end, both at the file's time plus {@code
   * DISORDER_MILLIS}, the join's ten seconds and the watermark delay. Every other event is earlier
   * than the file's time plus the disorder, so the final watermark, the flush events' time less
   * the delay, is past every other impression's time plus ten seconds: each impression that never
   * matched goes, with nulls, in the last run. The two flush events match each other.
   */
  @Override
  public void writeLastFile() {
    writeFiles(true);
  }

  private void writeFiles(boolean flush) {
    long fileTime = InputWriter.START_MILLIS + files * InputWriter.STEP_MILLIS;
    List<AdEvent> shown = events(1 + random.nextInt(MAX_IMPRESSIONS_PER_FILE), KEYS, fileTime);
    List<AdEvent> clicked = events(1 + random.nextInt(MAX_CLICKS_PER_FILE), CLICKED_KEYS,
        fileTime);
    if (flush) {
      long last = fileTime + InputWriter.DISORDER_MILLIS + CrashKind.JOIN_WINDOW_MILLIS
          + CrashKind.WATERMARK_DELAY_MILLIS;
      shown.add(event(InputWriter.FLUSH_KEY, last));
      clicked.add(event(InputWriter.FLUSH_KEY, last));
    }
    files++;
    InputFiles.write(impressionFolder, name("impressions"), json(shown));
    InputFiles.write(clickFolder, name("clicks"), json(clicked));
    impressions.addAll(shown);
    clicks.addAll(clicked);
  }

  /** {@code count} events on keys below {@code keys}, in the file's time and its disorder. */
  private List<AdEvent> events(int count, int keys, long fileTime) {
    List<AdEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(event(String.format(Locale.ROOT, "k%02d", random.nextInt(keys)),
          fileTime + random.nextInt((int) InputWriter.DISORDER_MILLIS)));
    }
    return events;
  }

  private AdEvent event(String key, long millis) {
    return new AdEvent(key, nextId++, Instant.ofEpochMilli(millis));
  }

  private String name(String side) {
    return String.format(Locale.ROOT, "%s-%06d.json", side, files);
  }

  private static List<String> json(List<AdEvent> events) {
    return events.stream().map(AdEvent::json).toList();
  }

  List<AdEvent> impressions() {
    return impressions;
  }

  List<AdEvent> clicks() {
    return clicks;
  }

  @Override
  public long rows() {
    return impressions.size() + clicks.size();
  }

  @Override
  public Map<List<Object>, Long> expectedRows() {
    return ExpectedOutput.joined(impressions, clicks);
  }

  /** The join writes to the JSON file sink: it has rows, no totals. */
  @Override
  public Map<String, Totals> expectedTotals() {
    throw new IllegalStateException("the join kind writes no batch files");
  }
}
