package io.sluice.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.StreamingQuery;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which queries the dashboard shows: all active ones, and only the latest stopped ones. */
class TrackedQueriesTest {
  @Test
  void showsQueriesInTheOrderTheyStarted() {
    TrackedQueries tracked = new TrackedQueries();
    StreamingQuery first = query("first", new AtomicBoolean(true));
    StreamingQuery second = query("second", new AtomicBoolean(false));
    tracked.add(first);
    tracked.add(second);
    assertThat(tracked.snapshot()).containsExactly(first, second);
  }

  @Test
  void forgetsTheOldestStoppedQueriesButNoActiveOne() {
    TrackedQueries tracked = new TrackedQueries();
    StreamingQuery running = query("running", new AtomicBoolean(true));
    tracked.add(running);
    List<AtomicBoolean> active = new ArrayList<>();
    List<StreamingQuery> others = new ArrayList<>();
    for (int i = 0; i < TrackedQueries.STOPPED_KEPT + 3; i++) {
      active.add(new AtomicBoolean(true));
      others.add(query("q" + i, active.get(i)));
      tracked.add(others.get(i));
    }
    assertThat(tracked.snapshot()).hasSize(TrackedQueries.STOPPED_KEPT + 4);

    active.forEach(a -> a.set(false));

    assertThat(tracked.snapshot()).first().isSameAs(running);
    assertThat(tracked.snapshot()).hasSize(TrackedQueries.STOPPED_KEPT + 1)
        .endsWith(others.subList(3, others.size()).toArray(StreamingQuery[]::new));
  }

  /** A query that answers its name and whether it is active; nothing else is asked. */
  private static StreamingQuery query(String name, AtomicBoolean active) {
    return (StreamingQuery) Proxy.newProxyInstance(StreamingQuery.class.getClassLoader(),
        new Class<?>[] {StreamingQuery.class}, (proxy, method, args) -> switch (method.getName()) {
          case "isActive" -> active.get();
          case "toString", "name" -> name;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
