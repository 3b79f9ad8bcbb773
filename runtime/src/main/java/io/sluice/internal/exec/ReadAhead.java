package io.sluice.internal.exec;

import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.connector.ChunkConsumer;
import io.sluice.internal.connector.Offset;
import io.sluice.internal.connector.Source;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads a batch's input on a thread of its own while the query's thread runs the stages over the
 * chunks read so far, so that a source's decoding (or generating) and the query use two cores.
 *
 * <p>Sources reuse their chunk once the consumer returns, so each chunk is copied into one of a
 * few spare ones that travel back and forth; the stages see the chunks in the source's order. A
 * failure of the source reaches the query's thread as the same exception a direct read throws; a
 * failure of the stages stops the reading. Either way, {@link #read} returns only once the source
 * is no longer in use, so that nothing else ever touches it at the same time.
 */
final class ReadAhead implements AutoCloseable {
  /** Below this many rows a batch is read on the query's thread: a hand-off would cost more. */
  static final long MIN_ROWS = 4L * ColumnBatch.DEFAULT_CHUNK_ROWS;

  /** Chunks read but not yet consumed, at most: enough to ride out a slow chunk on either side. */
  private static final int CHUNKS_AHEAD = 4;

  private static final Object END = new Object();

  private final ThreadPoolExecutor reader;

  ReadAhead(String queryName) {
    // One thread, started on demand and gone after a minute without work.
    this.reader = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "sluice-read-" + queryName);
          t.setDaemon(true);
          return t;
        });
    reader.allowCoreThreadTimeOut(true);
  }

  /** Whether {@code (start, end]} of {@code source} is worth reading ahead. */
  static boolean worthIt(Source source, @Nullable Offset start, Offset end) {
    return source.rowsBetween(start, end) >= MIN_ROWS;
  }

  /** Reads {@code (start, end]} of {@code source} into {@code out}, in order. */
  void read(Source source, @Nullable Offset start, Offset end, ChunkConsumer out) {
    BlockingQueue<ColumnBatch> spare = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
    int[] made = {0};
    BlockingQueue<Object> filled = new ArrayBlockingQueue<>(CHUNKS_AHEAD + 1);
    Reading reading = new Reading();
    reader.execute(() -> reading.run(() -> {
      Object last = END;
      try {
        source.read(start, end, chunk -> {
          if (reading.stopped()) {
            // Also for a source that swallowed the interrupt: no chunk after a stop.
            throw new Stopped();
          }
          ColumnBatch copy;
          if (spare.isEmpty() && made[0] < CHUNKS_AHEAD) {
            // Spare chunks take the schema of the chunks themselves.
            copy = new ColumnBatch(chunk.schema(), ColumnBatch.DEFAULT_CHUNK_ROWS);
            made[0]++;
          } else {
            copy = takeOrStop(spare, reading);
          }
          copy.clear();
          copy.appendAll(chunk);
          filled.add(copy);
        });
      } catch (Stopped e) {
        return;
      } catch (Throwable e) {
        last = new Failed(e);
      }
      filled.add(last);
    }));
    try {
      consume(filled, spare, out);
    } catch (Throwable e) {
      reading.stop();
      throw e;
    } finally {
      reading.awaitEnd();
    }
  }

  private static void consume(BlockingQueue<Object> filled, BlockingQueue<ColumnBatch> spare,
      ChunkConsumer out) {
    while (true) {
      Object next = takeUninterruptibly(filled);
      if (next == END) {
        return;
      }
      if (next instanceof Failed failed) {
        throw failed.rethrown();
      }
      ColumnBatch chunk = (ColumnBatch) next;
      out.accept(chunk);
      spare.add(chunk);
    }
  }

  /** A spare chunk; the reading stops here when the query's thread gave up on it. */
  private static ColumnBatch takeOrStop(BlockingQueue<ColumnBatch> spare, Reading reading) {
    try {
      while (true) {
        ColumnBatch chunk = spare.poll(100, TimeUnit.MILLISECONDS);
        if (chunk != null) {
          return chunk;
        }
        if (reading.stopped()) {
          throw new Stopped();
        }
      }
    } catch (InterruptedException e) {
      throw new Stopped();
    }
  }

  /** The query's thread finishes its batch as a direct read would, interrupted or not. */
  private static Object takeUninterruptibly(BlockingQueue<Object> queue) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return queue.take();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One read on the reading thread: who runs it, to stop it, and when it has ended. */
  private static final class Reading {
    private final CountDownLatch ended = new CountDownLatch(1);
    private @Nullable Thread runner;
    private boolean stopped;

    void run(Runnable read) {
      synchronized (this) {
        if (stopped) {
          ended.countDown();
          return;
        }
        runner = Thread.currentThread();
      }
      try {
        read.run();
      } finally {
        synchronized (this) {
          runner = null;
          // An interrupt meant for this read must not reach the thread's next one.
          Thread.interrupted();
        }
        ended.countDown();
      }
    }

    synchronized boolean stopped() {
      return stopped;
    }

    synchronized void stop() {
      stopped = true;
      if (runner != null) {
        runner.interrupt();
      }
    }

    void awaitEnd() {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            ended.await();
            return;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }

  /** How the reading thread leaves a read the query's thread stopped. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  /** What the source threw, to throw again on the query's thread. */
  private record Failed(Throwable cause) {
    RuntimeException rethrown() {
      throw ReadAhead.<RuntimeException>sneaky(cause);
    }
  }

  /** Throws {@code e} as it is, checked or not, as the source threw it on a direct read. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
