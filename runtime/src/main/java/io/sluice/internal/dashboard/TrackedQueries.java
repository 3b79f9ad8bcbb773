package io.sluice.internal.dashboard;

import io.sluice.api.StreamingQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The queries the dashboard shows, in the order they started: every active one and the last few
 * that stopped, so that a query that failed or finished stays in view with its last progress.
 */
final class TrackedQueries {
  static final int STOPPED_KEPT = 10;

  private final List<StreamingQuery> queries = new ArrayList<>();

  synchronized void add(StreamingQuery query) {
    queries.add(query);
    forgetOldStopped();
  }

  synchronized List<StreamingQuery> snapshot() {
    forgetOldStopped();
    return List.copyOf(queries);
  }

  private void forgetOldStopped() {
    long stopped = queries.stream().filter(q -> !q.isActive()).count();
    for (Iterator<StreamingQuery> it = queries.iterator(); stopped > STOPPED_KEPT && it.hasNext(); ) {
      if (!it.next().isActive()) {
        it.remove();
        stopped--;
      }
    }
  }
}
