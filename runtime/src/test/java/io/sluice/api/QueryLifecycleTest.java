package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Click;
import org.junit.jupiter.api.Test;

/** Starting, naming and ending queries. */
class QueryLifecycleTest {
  @Test
  void twoActiveQueriesCannotShareAName() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      StreamingQuery first = clicks.toDataset().writeStream().format("memory").queryName("views")
          .start();
      assertThatThrownBy(() -> clicks.toDataset().writeStream().format("memory")
          .queryName("views").start())
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("cannot start query 'views': a query with that name is already "
              + "active");
      first.stop();
      StreamingQuery again = clicks.toDataset().writeStream().format("memory").queryName("views")
          .start();
      assertThat(again.isActive()).isTrue();
    }
  }

  @Test
  void availableNowReadsWhatAMemoryStreamHeldAtStartAndThenStops() throws Exception {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      clicks.addData(Click.of("a", "home", 1), Click.of("b", "home", 2));
      // Records that arrive while the query runs (here: added by the query itself) are not
      // "available now" and wait for a later query.
      Dataset<Click> growing = clicks.toDataset().map(c -> {
        if (c.user().equals("a")) {
          clicks.addData(Click.of("late", "home", 3));
        }
        return c;
      }, Click.class);
      StreamingQuery q = growing.writeStream().format("memory").queryName("pinned")
          .trigger(Trigger.availableNow()).start();
      q.awaitTermination();
      assertThat(engine.table("pinned")).extracting(r -> r.get("user"))
          .containsExactlyInAnyOrder("a", "b");
      assertThat(q.isActive()).isFalse();
    }
  }

  @Test
  void generatedClassesCarryTheGeneratedAnnotation() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      try (var tester = io.sluice.testkit.QueryTester.of(clicks.toDataset().writeStream())) {
        assertThat(tester.generatedSource())
            .contains("@Generated(\"io.sluice.internal.codegen.StageCodegen\")");
      }
    }
  }
}
