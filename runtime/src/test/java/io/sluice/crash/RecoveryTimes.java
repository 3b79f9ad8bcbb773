package io.sluice.crash;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How long restarted children took to recover, as they measured it: from JVM start to the query's
 * start (checkpoint recovered, stages compiled), and from there to the first committed batch.
 */
final class RecoveryTimes {
  private final List<Long> startToReady = new ArrayList<>();
  private final List<Long> readyToFirstCommit = new ArrayList<>();

  /** Adds what a restarted child reported; a child killed before it got there adds less. */
  void add(ChildProcess child) {
    child.readyMillis().ifPresent(ready -> {
      startToReady.add(ready);
      child.firstCommitMillis().ifPresent(commit -> readyToFirstCommit.add(commit - ready));
    });
  }

  /** E.g. {@code start-to-ready=812ms (n=20) ready-to-first-commit=64ms (n=17)}. */
  String medians() {
    return String.format(Locale.ROOT, "start-to-ready=%s (n=%d) ready-to-first-commit=%s (n=%d)",
        median(startToReady), startToReady.size(), median(readyToFirstCommit),
        readyToFirstCommit.size());
  }

  private static String median(List<Long> millis) {
    if (millis.isEmpty()) {
      return "none";
    }
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2) + "ms";
  }
}
