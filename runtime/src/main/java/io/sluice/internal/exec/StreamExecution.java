package io.sluice.internal.exec;

import io.sluice.api.Clock;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.api.QueryableState;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.Trigger;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A started streaming query: a thread that fires micro-batches as its trigger says, until it is
 * stopped, its trigger is done, or a batch fails.
 */
public final class StreamExecution implements StreamingQuery {
  private static final int RECENT_PROGRESS = 100;
  /**
   * How long the default trigger waits before looking for new data again, like Spark's, unless
   * the source says sooner that it has some.
   */
  private static final long POLL_MILLIS = 10;

  private final MicroBatchExecution batches;
  private final Trigger trigger;
  private final long pollMillis;
  private final Clock clock;
  private final String explanation;
  private final Thread thread;
  private final Object lock = new Object();
  private final Deque<StreamingQueryProgress> recent = new ArrayDeque<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Runnable onTermination;
  private final QueryReporter reporter;
  private volatile boolean stopRequested;
  private volatile @Nullable SluiceException failure;
  private long cycles;
  private long lastIdleCycle = -1;
  private boolean waitingOnClock;
  /** The source signalled new data since the default trigger last looked; guarded by lock. */
  private boolean dataArrived;

  public StreamExecution(MicroBatchExecution batches, Trigger trigger, Clock clock,
      String explanation, QueryReporter reporter, Runnable onTermination) {
    this(batches, trigger, clock, explanation, reporter, onTermination, POLL_MILLIS);
  }

  /** As the public constructor, with the default trigger looking again after {@code pollMillis}. */
  StreamExecution(MicroBatchExecution batches, Trigger trigger, Clock clock, String explanation,
      QueryReporter reporter, Runnable onTermination, long pollMillis) {
    this.batches = batches;
    this.reporter = reporter;
    this.trigger = trigger;
    this.pollMillis = pollMillis;
    this.clock = clock;
    this.explanation = explanation;
    this.onTermination = onTermination;
    this.thread = new Thread(this::run, "sluice-query-" + batches.name());
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    reporter.started(batches);
    try {
      switch (trigger.kind()) {
        case ONCE:
          batches.source().readAllAvailable();
          cycle();
          break;
        case AVAILABLE_NOW:
          batches.source().prepareForAvailableNow();
          while (!stopRequested && cycle()) {
            // each cycle runs one batch until the data available at start is done
          }
          break;
        default:
          runProcessingTime();
      }
    } catch (SluiceException e) {
      failure = e;
    } catch (RuntimeException | Error e) {
      failure = new SluiceException(ErrorKind.EXECUTION,
          "query '" + batches.name() + "' failed: " + e, e);
    } finally {
      try {
        batches.close();
      } finally {
        // Posted before waiters are released, so that a listener hears of every query that
        // awaitTermination saw stop.
        reporter.terminated(batches, failure);
        // Deregistered before waiters are released: once awaitTermination returns, the engine no
        // longer lists this query as active.
        onTermination.run();
        terminated.countDown();
        synchronized (lock) {
          lock.notifyAll();
        }
      }
    }
  }

  private void runProcessingTime() {
    long interval = trigger.interval().toMillis();
    long next = clock.millis();
    if (interval == 0) {
      // Only the default trigger runs when data arrives; an interval fires on the clock alone.
      batches.source().onNewData(this::dataArrived);
    }
    while (!stopRequested) {
      if (interval > 0 && !waitForClock(next)) {
        return;
      }
      if (interval == 0) {
        synchronized (lock) {
          // What arrives from here on may be missed by this look, and must end the pause after it.
          dataArrived = false;
        }
      }
      boolean ran = cycle();
      if (interval > 0) {
        // A batch that overran its interval is followed at once, not by a burst of catch-ups.
        next += interval;
        long now = clock.millis();
        if (next < now) {
          next = now;
        }
      } else if (!ran) {
        pause();
      }
    }
  }

  /** Runs one batch if there is data; true if one ran. */
  private boolean cycle() {
    StreamingQueryProgress progress = batches.runBatch();
    if (progress == null) {
      // Before the cycle counts as idle: processAllAvailable returns after its idle event.
      reporter.idle(batches);
    }
    synchronized (lock) {
      cycles++;
      if (progress == null) {
        lastIdleCycle = cycles;
      } else {
        recent.addLast(progress);
        if (recent.size() > RECENT_PROGRESS) {
          recent.removeFirst();
        }
      }
      lock.notifyAll();
    }
    if (progress != null) {
      // After lastProgress has it, for listeners that look at the query.
      reporter.progress(progress);
    }
    return progress != null;
  }

  /** Called by the source, from any thread: ends the default trigger's pause. */
  private void dataArrived() {
    synchronized (lock) {
      dataArrived = true;
      lock.notifyAll();
    }
  }

  private void pause() {
    synchronized (lock) {
      if (!stopRequested && !dataArrived) {
        try {
          lock.wait(pollMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopRequested = true;
        }
      }
    }
  }

  /** Waits until processing time reaches {@code target}; false if stopped meanwhile. */
  private boolean waitForClock(long target) {
    synchronized (lock) {
      if (stopRequested) {
        return false;
      }
      waitingOnClock = true;
    }
    try {
      clock.waitUntil(target);
    } catch (InterruptedException e) {
      // stop() interrupts only this wait; the loop condition decides what happens next
    } finally {
      synchronized (lock) {
        waitingOnClock = false;
        Thread.interrupted();
      }
    }
    return !stopRequested;
  }

  @Override
  public UUID id() {
    return batches.id();
  }

  @Override
  public UUID runId() {
    return batches.runId();
  }

  @Override
  public String name() {
    return batches.name();
  }

  @Override
  public boolean isActive() {
    return terminated.getCount() > 0;
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    terminated.await();
    throwIfFailed();
  }

  @Override
  public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
    boolean done = terminated.await(timeoutMillis, TimeUnit.MILLISECONDS);
    if (done) {
      throwIfFailed();
    }
    return done;
  }

  private void throwIfFailed() {
    SluiceException e = failure;
    if (e != null) {
      throw e;
    }
  }

  @Override
  public void processAllAvailable() {
    synchronized (lock) {
      // The cycle under way may have looked for data before the caller added it: wait for an
      // idle cycle that started after this call.
      long target = cycles + 2;
      lock.notifyAll();
      while (lastIdleCycle < target && terminated.getCount() > 0) {
        try {
          lock.wait(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        lock.notifyAll();
      }
    }
    throwIfFailed();
  }

  @Override
  public void stop() {
    synchronized (lock) {
      stopRequested = true;
      if (waitingOnClock) {
        thread.interrupt();
      }
      lock.notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        terminated.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public @Nullable SluiceException exception() {
    return failure;
  }

  @Override
  public @Nullable StreamingQueryProgress lastProgress() {
    synchronized (lock) {
      return recent.peekLast();
    }
  }

  @Override
  public List<StreamingQueryProgress> recentProgress() {
    synchronized (lock) {
      return List.copyOf(new ArrayList<>(recent));
    }
  }

  @Override
  public String explain() {
    return explanation;
  }

  public List<GeneratedStage> generatedStages() {
    return batches.generatedStages();
  }

  @Override
  public <K, S> QueryableState<K, S> queryableState(Class<K> keyType, Class<S> stateType) {
    return batches.queryableState(keyType, stateType);
  }

  @Override
  public <K, S> QueryableState<K, S> queryableValueState(String variable, Class<K> keyType,
      Class<S> valueType) {
    return batches.queryableState(variable, TransformEntries.VALUE, keyType,
        List.of(valueType));
  }

  @Override
  public <K, S> QueryableState<K, List<S>> queryableListState(String variable,
      Class<K> keyType, Class<S> elementType) {
    return batches.queryableState(variable, TransformEntries.LIST, keyType,
        List.of(elementType));
  }

  @Override
  public <K, UK, UV> QueryableState<K, Map<UK, UV>> queryableMapState(String variable,
      Class<K> keyType, Class<UK> userKeyType, Class<UV> valueType) {
    return batches.queryableState(variable, TransformEntries.MAP, keyType,
        List.of(userKeyType, valueType));
  }
}
