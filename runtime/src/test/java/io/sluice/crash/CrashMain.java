package io.sluice.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Runs the crash harness from the command line and ends with one {@code crash <kind> ...} line per
 * kind; exits with 1 if a kind lost or duplicated rows or failed. Arguments: the number of kills
 * (default 20), then the kinds (default all); property {@code sluice.crash.seed} repeats a run.
 * README.md ("Crash test") gives the Maven command.
 *
 * <pre>{@code
 * java <JvmFlags.REQUIRED> -cp <test classpath> io.sluice.crash.CrashMain 100 stateless
 * }</pre>
 */
public final class CrashMain {
  private CrashMain() {}

  public static void main(String[] args) throws InterruptedException {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<CrashKind> kinds = args.length > 1
        ? Arrays.stream(args, 1, args.length).map(CrashKind::of).toList()
        : List.of(CrashKind.values());
    long seed = Long.getLong("sluice.crash.seed", new Random().nextLong());
    List<String> results = new ArrayList<>();
    boolean clean = true;
    for (CrashKind kind : kinds) {
      System.out.println("crash " + kind.label() + " starting: kills=" + kills + " seed=" + seed);
      clean &= run(kind, kills, seed, results);
    }
    results.forEach(System.out::println);
    System.exit(clean ? 0 : 1);
  }

  /** Runs one kind; its folder is deleted if the run is clean, and kept to look at if not. */
  private static boolean run(CrashKind kind, int kills, long seed, List<String> results)
      throws InterruptedException {
    Path root = createTempDirectory(kind);
    try {
      CrashReport report = new CrashRun(kind, kills, seed, root).run();
      results.add(report.summary());
      results.add(report.recoverySummary());
      results.add(report.killPointSummary());
      if (report.discrepancy().none()) {
        deleteRecursively(root);
        return true;
      }
    } catch (RuntimeException e) {
      results.add("crash " + kind.label() + " failed: " + e.getMessage());
    }
    results.add("crash " + kind.label() + " folder kept: " + root);
    return false;
  }

  private static Path createTempDirectory(CrashKind kind) {
    try {
      return Files.createTempDirectory("sluice-crash-" + kind.label() + "-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a folder for the crash run", e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      System.out.println("could not delete " + root + ": " + e);
    }
  }
}
