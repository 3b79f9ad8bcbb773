package io.sluice.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a sample's {@code main} prints to standard output, for tests that read it. */
final class MainOutput {
  private MainOutput() {}

  /** A sample's {@code main} with its arguments. */
  @FunctionalInterface
  interface Main {
    void run() throws Exception;
  }

  /** Runs {@code main} and returns what it printed; standard output is restored after. */
  static String of(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
