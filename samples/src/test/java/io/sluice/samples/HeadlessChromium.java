package io.sluice.samples;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium without a screen, run once per look at a page: the DOM after the page's
 * scripts ran, or a screenshot. Each run has a fresh profile and no network but the page's own.
 */
final class HeadlessChromium {
  /** Debian's path, or the system property {@code sluice.chromium}'s. */
  static final Path BINARY = Path.of(System.getProperty("sluice.chromium", "/usr/bin/chromium"));

  /**
   * Virtual time the page gets: timers and fetches run as if this long had passed, which takes
   * Chromium far less real time. Several of the dashboard's one-second polls fit in it.
   */
  private static final int VIRTUAL_TIME_MILLIS = 4_000;
  /** A bound on one run, so that a hung browser fails the test; not a timing. */
  private static final long RUN_BOUND_SECONDS = 60;

  private final Path logs;

  private HeadlessChromium(Path logs) {
    this.logs = logs;
  }

  /**
   * Chromium, logging to {@code logs}; skips the test when it is not installed, unless the
   * system property {@code sluice.requireChromium} is true (as in CI), which fails it.
   */
  static HeadlessChromium require(Path logs) {
    boolean installed = Files.isExecutable(BINARY);
    if (!installed && Boolean.getBoolean("sluice.requireChromium")) {
      fail(BINARY + " is missing and sluice.requireChromium=true: install Debian's chromium");
    }
    assumeTrue(installed, BINARY + " is not installed (Debian package chromium)");
    return new HeadlessChromium(logs);
  }

  /** The page's DOM once its scripts have run. */
  String dom(URI page) throws IOException, InterruptedException {
    Path out = logs.resolve("dom.html");
    run(page, out, "--dump-dom");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** Writes a PNG of the page, 1280 by 1600 pixels, to {@code png}. */
  void screenshot(URI page, Path png) throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run(page, logs.resolve("screenshot.out"), "--screenshot=" + png.toAbsolutePath());
  }

  private void run(URI page, Path stdout, String mode) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("sluice-chromium-");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--virtual-time-budget=" + VIRTUAL_TIME_MILLIS,
        "--window-size=1280,1600", mode, page.toString()));
    try {
      Process chromium = new ProcessBuilder(command).redirectOutput(stdout.toFile())
          .redirectError(logs.resolve("chromium.log").toFile()).start();
      if (!chromium.waitFor(RUN_BOUND_SECONDS, TimeUnit.SECONDS)) {
        chromium.destroyForcibly();
        fail("Chromium did not finish; see " + logs.resolve("chromium.log"));
      }
      if (chromium.exitValue() != 0) {
        fail("Chromium exited with " + chromium.exitValue() + "; see "
            + logs.resolve("chromium.log"));
      }
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
