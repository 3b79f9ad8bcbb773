package io.sluice.internal.state;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The name of a file of a state partition's history: a change log {@code N.delta}, or a snapshot
 * taken after version {@code from} committed that is a base only for versions from {@code usable}
 * on: {@code from.snapshot} when the two are equal, {@code from-usable.snapshot} when batches
 * after {@code from} changed the map while the snapshot was being written.
 *
 * <p>For a change log, {@code from} and {@code usable} are both its version.
 */
record StateFileName(long from, long usable, boolean snapshot) {
  private static final Pattern NAME =
      Pattern.compile("(\\d{1,19})(?:-(\\d{1,19}))?\\.(delta|snapshot)");

  static StateFileName delta(long version) {
    return new StateFileName(version, version, false);
  }

  static StateFileName snapshot(long from, long usable) {
    return new StateFileName(from, usable, true);
  }

  /** The name {@code name} stands for, or null if it is no history file's. */
  static @Nullable StateFileName parse(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return null;
    }
    boolean snapshot = m.group(3).equals("snapshot");
    long from = Long.parseLong(m.group(1));
    long usable = m.group(2) == null ? from : Long.parseLong(m.group(2));
    // Only a snapshot spans versions, and never backwards.
    if (usable < from || usable != from && !snapshot) {
      return null;
    }
    return new StateFileName(from, usable, snapshot);
  }

  @Override
  public String toString() {
    String versions = usable == from ? Long.toString(from) : from + "-" + usable;
    return versions + (snapshot ? ".snapshot" : ".delta");
  }
}
