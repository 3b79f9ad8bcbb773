package io.sluice.internal.connector;

import io.sluice.api.BadRecordPolicy;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The file source's options, checked once when the source is created so that a typo fails the
 * query before it starts rather than at the first file.
 *
 * @param maxFilesPerTrigger at most this many new files per batch; {@link Long#MAX_VALUE} if not
 *     set
 * @param badRecords what to do with records that do not decode
 * @param badRecordsPath the dead-letter directory, set exactly when the policy is deadLetter
 * @param timestamps how timestamp text is parsed
 * @param header CSV: whether each file's first line names the columns
 * @param separator CSV: the field separator
 */
record FileSourceOptions(
    long maxFilesPerTrigger,
    BadRecordPolicy badRecords,
    @Nullable Path badRecordsPath,
    TimestampParser timestamps,
    boolean header,
    String separator) {

  /** Reads and checks the options a user gave. */
  static FileSourceOptions parse(Options options) {
    BadRecordPolicy policy = BadRecordOptions.policy(options);
    return new FileSourceOptions(
        maxFilesPerTrigger(options),
        policy,
        badRecordsPath(policy, options),
        timestampParser(options),
        options.getBoolean("header", false),
        separator(options));
  }

  static TimestampParser timestampParser(Options options) {
    String pattern = options.get("timestampFormat");
    if (pattern == null) {
      return TimestampParser.iso();
    }
    try {
      return TimestampParser.ofPattern(pattern);
    } catch (IllegalArgumentException e) {
      throw options.invalid(
          "timestampFormat",
          pattern,
          "a java.time DateTimeFormatter pattern (" + e.getMessage() + ")");
    }
  }

  /** Option {@code sep}, or Spark's alias {@code delimiter}; {@code \t} may be written escaped. */
  static String separator(Options options) {
    String sep = options.get("sep", options.get("delimiter", ","));
    String unescaped = sep.equals("\\t") ? "\t" : sep;
    if (unescaped.isEmpty()
        || unescaped.contains("\"")
        || unescaped.contains("\n")
        || unescaped.contains("\r")) {
      throw options.invalid("sep", sep, "a non-empty separator without quotes or line breaks");
    }
    return unescaped;
  }

  private static @Nullable Path badRecordsPath(BadRecordPolicy policy, Options options) {
    String path = options.get("badRecordsPath");
    if (policy != BadRecordPolicy.DEAD_LETTER) {
      return null;
    }
    if (path == null || path.isBlank()) {
      throw new SluiceException(
          ErrorKind.INVALID_OPTION,
          "file source option 'badRecords' is deadLetter, which needs option 'badRecordsPath' (a"
              + " directory for the dead-letter files)");
    }
    return Path.of(path);
  }

  private static long maxFilesPerTrigger(Options options) {
    long max = options.getLong("maxFilesPerTrigger", Long.MAX_VALUE);
    if (max <= 0) {
      throw options.invalid("maxFilesPerTrigger", Long.toString(max), "a positive number");
    }
    return max;
  }
}
