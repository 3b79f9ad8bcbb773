package io.sluice.api;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger that keeps every line, at every level, as {@code "LEVEL message"} (and the exception's
 * {@code toString()} after a {@code " | "} when there is one), for tests that read what the
 * engine logs; given to {@code Sluice.builder().log(...)}.
 */
final class CapturedLog extends LegacyAbstractLogger {
  private final List<String> lines = new ArrayList<>();

  CapturedLog() {
    this.name = "captured";
  }

  Logger logger() {
    return this;
  }

  /** The lines so far, oldest first. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines at {@code level} that contain {@code text}. */
  List<String> lines(Level level, String text) {
    return lines().stream().filter(l -> l.startsWith(level + " ") && l.contains(text)).toList();
  }

  @Override
  protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker,
      String message, Object[] arguments, Throwable throwable) {
    String text = level + " " + MessageFormatter.basicArrayFormat(message, arguments);
    lines.add(throwable == null ? text : text + " | " + throwable);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  public boolean isTraceEnabled() {
    return true;
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }

  @Override
  public boolean isInfoEnabled() {
    return true;
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }
}
