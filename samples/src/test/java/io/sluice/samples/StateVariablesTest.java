package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.StateVariable;
import io.sluice.annotations.StateVariables;
import io.sluice.annotations.Ttl;
import io.sluice.api.Dataset;
import io.sluice.api.ListState;
import io.sluice.api.MapState;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.StreamingQuery;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import io.sluice.api.Trigger;
import io.sluice.api.ValueState;
import io.sluice.testkit.ManualClock;
import io.sluice.testkit.QueryTester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code transformWithState} processor whose state variables are a {@code @StateVariables}
 * interface: the processor wrote {@code StateVariablesTest_Browsing_Variables} at build time, and
 * the variables it declares keep their values per user, expire after their {@code @Ttl} on the
 * engine clock, are found by their names, and survive a restart under a renamed method. Times
 * are seconds on a {@link ManualClock}; expected reports are worked out by hand.
 */
public class StateVariablesTest {
  /** What a user's browsing keeps. */
  @StateVariables
  public interface Browsing {
    /** The user's clicks of the last 10 seconds. */
    @Ttl("10 seconds")
    ListState<Click> recentClicks();

    /** The page of the user's last click, forgotten after a minute without one. */
    @Ttl("1 minute")
    ValueState<String> lastPage();

    /** The user's views per page, kept until cleared. */
    MapState<String, Long> viewsPerPage();
  }

  /**
   * {@link Browsing} after {@code lastPage()} was renamed {@code previousPage()}: the variable
   * keeps its name, so its values, and the old method stays for the processor's code. The other
   * variables are inherited.
   */
  @StateVariables
  public interface RenamedBrowsing extends Browsing {
    @Ttl("1 minute")
    @StateVariable(name = "lastPage")
    ValueState<String> previousPage();

    @Override
    default ValueState<String> lastPage() {
      return previousPage();
    }
  }

  /** One report per click: the user's recent clicks and last page before it, its page's views. */
  public record Report(String user, String page, long recentClicks, String previousPage,
      long views) {}

  /** Reports each click of a user from {@link Browsing}'s variables. */
  static class Activity extends StatefulProcessor<String, Click, Report> {
    Browsing state;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      state = StateVariablesTest_Browsing_Variables.declare(getHandle());
    }

    @Override
    public Iterable<Report> handleInputRows(String user, Iterator<Click> clicks,
        TimerValues timerValues) {
      List<Report> reports = new ArrayList<>();
      while (clicks.hasNext()) {
        reports.add(report(user, clicks.next()));
      }
      return reports;
    }

    private Report report(String user, Click click) {
      long recentClicks = 0;
      for (Iterator<Click> r = state.recentClicks().get(); r.hasNext(); r.next()) {
        recentClicks++;
      }
      Long before = state.viewsPerPage().getValue(click.page());
      long views = before == null ? 1 : before + 1;
      Report report = new Report(user, click.page(), recentClicks, state.lastPage().get(), views);
      state.recentClicks().appendValue(click);
      state.lastPage().update(click.page());
      state.viewsPerPage().updateValue(click.page(), views);
      return report;
    }
  }

  /** The same processor on {@link RenamedBrowsing}, as after the rename. */
  static final class RenamedActivity extends Activity {
    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      state = StateVariablesTest_RenamedBrowsing_Variables.declare(getHandle());
    }
  }

  private static Dataset<Report> activity(Dataset<Click> clicks,
      StatefulProcessor<String, Click, Report> processor) {
    return clicks.groupByKey(Click::user, String.class)
        .transformWithState(processor, TimeMode.PROCESSING_TIME, OutputMode.APPEND,
            Report.class);
  }

  /** A report as a row of the sink; {@code previousPage} may be null. */
  private static List<Object> report(String user, String page, long recentClicks,
      String previousPage, long views) {
    return Arrays.asList(user, page, recentClicks, previousPage, views);
  }

  private final ManualClock clock = new ManualClock(0);
  private final Sluice engine = Sluice.builder().statePartitions(2).clock(clock).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static Click click(String user, String page) {
    return new Click(user, page, 0);
  }

  @Test
  void theDeclaredVariablesKeepTheirValuesPerUserAndExpireAfterTheirTtl() {
    try (QueryTester t = QueryTester.of(activity(clicks.toDataset(), new Activity())
        .writeStream().outputMode(OutputMode.APPEND))) {
      clicks.addData(click("ann", "/home"), click("bob", "/home"));
      t.expectBatch(report("ann", "/home", 0, null, 1), report("bob", "/home", 0, null, 1));
      clock.advance(Duration.ofSeconds(5));
      clicks.addData(click("ann", "/cart"));
      t.expectBatch(report("ann", "/cart", 1, "/home", 1));
      // At 12 s: ann's click at 0 s has expired from recentClicks (10 s), the one at 5 s not.
      clock.advance(Duration.ofSeconds(7));
      clicks.addData(click("ann", "/home"));
      t.expectBatch(report("ann", "/home", 1, "/cart", 2));
      // At 80 s: recentClicks is empty, lastPage (updated at 12 s) expired at 72 s, and the
      // views, which have no TTL, are kept.
      clock.advance(Duration.ofSeconds(68));
      clicks.addData(click("ann", "/cart"), click("bob", "/cart"));
      t.expectBatch(report("ann", "/cart", 0, null, 2), report("bob", "/cart", 0, null, 1));
    }
  }

  @Test
  void theVariablesAreQueryableByTheirDeclaredNames() {
    StreamingQuery q = activity(clicks.toDataset(), new Activity()).writeStream()
        .outputMode(OutputMode.APPEND).format("memory").queryName("activity").start();
    try {
      clicks.addData(click("ann", "/home"), click("ann", "/cart"), click("ann", "/cart"));
      q.processAllAvailable();

      assertThat(q.queryableValueState("lastPage", String.class, String.class).get("ann"))
          .contains("/cart");
      assertThat(q.queryableListState("recentClicks", String.class, Click.class).get("ann"))
          .hasValueSatisfying(recent -> assertThat(recent).hasSize(3));
      assertThat(q.queryableMapState("viewsPerPage", String.class, String.class, Long.class)
          .get("ann")).contains(Map.of("/home", 1L, "/cart", 2L));
    } finally {
      q.stop();
    }
  }

  @Nested
  class FromACheckpoint {
    @TempDir
    Path input;
    @TempDir
    Path checkpoint;

    /** Runs the processor over what is in {@link #input}; the reports written. */
    private List<Report> runAvailable(StatefulProcessor<String, Click, Report> processor)
        throws InterruptedException {
      List<Report> written = new ArrayList<>();
      try (Sluice fresh = Sluice.builder().clock(clock).build()) {
        StreamingQuery q = activity(fresh.readStream().json(input.toString(), Click.class),
            processor).writeStream()
            .outputMode(OutputMode.APPEND)
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.availableNow())
            .foreachBatch((batch, id) -> written.addAll(batch.collectAsList()))
            .start();
        q.awaitTermination();
        assertThat(q.exception()).isNull();
      }
      return written;
    }

    /** Writes a file of one click as a JSON line, under a temporary name first. */
    private void writeFile(String name, String user, String page) throws IOException {
      String line = "{\"user\":\"" + user + "\",\"page\":\"" + page + "\",\"ts\":0}\n";
      Path temp = input.resolve("." + name + ".tmp");
      Files.writeString(temp, line, StandardCharsets.UTF_8);
      Files.move(temp, input.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aMethodRenamedWithItsVariablesNameKeepsTheState() throws Exception {
      writeFile("1.json", "ann", "/home");
      assertThat(runAvailable(new Activity()))
          .containsExactly(new Report("ann", "/home", 0, null, 1));
      clock.advance(Duration.ofSeconds(5));
      writeFile("2.json", "ann", "/cart");

      // Restarted with previousPage() declaring "lastPage": the page and views carry on.
      assertThat(runAvailable(new RenamedActivity()))
          .containsExactly(new Report("ann", "/cart", 1, "/home", 1));
    }
  }
}
