package io.sluice.internal.exec;

import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.plan.AggregationPlan;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The sessions of one key, as a session-window aggregation keeps them in state: sorted by start,
 * none touching another, each with its aggregate buffers.
 *
 * <p>A session is {@code [start, end)}; two sessions merge when one starts at or before the other
 * ends, so {@code [0, 10)} and {@code [10, 20)} become {@code [0, 20)}, as in Spark. State value
 * format: the number of sessions, then per session its start, end, buffer length and buffer.
 */
final class Sessions {
  /** One session and its aggregates. */
  static final class Session {
    final long start;
    long end;
    final AggregateBuffer buffer;

    Session(long start, long end, AggregateBuffer buffer) {
      this.start = start;
      this.end = end;
      this.buffer = buffer;
    }
  }

  private Sessions() {}

  static List<Session> decode(byte[] value, AggregationPlan plan) {
    ByteBuffer in = ByteBuffer.wrap(value);
    int count = in.getInt();
    List<Session> sessions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long start = in.getLong();
      long end = in.getLong();
      byte[] bytes = new byte[in.getInt()];
      in.get(bytes);
      AggregateBuffer buffer = new AggregateBuffer(plan);
      buffer.decode(bytes);
      sessions.add(new Session(start, end, buffer));
    }
    return sessions;
  }

  static byte[] encode(List<Session> sessions) {
    List<byte[]> buffers = new ArrayList<>(sessions.size());
    int size = 4;
    for (Session s : sessions) {
      byte[] b = s.buffer.encode();
      buffers.add(b);
      size += 20 + b.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(sessions.size());
    for (int i = 0; i < sessions.size(); i++) {
      Session s = sessions.get(i);
      out.putLong(s.start).putLong(s.end).putInt(buffers.get(i).length).put(buffers.get(i));
    }
    return out.array();
  }

  /** Where the session-window column starts in a group key, or in the key of its sessions. */
  static int windowOffset(AggregationPlan plan, byte[] key, KeyReader keys) {
    keys.reset(key, 0);
    for (int k = 0; k < plan.windowKey(); k++) {
      keys.skip(plan.groupings().get(k).type());
    }
    return keys.position();
  }

  /** A group key without its session window (flag, start and end): the key sessions live under. */
  static byte[] withoutWindow(byte[] key, int at) {
    byte[] stateKey = new byte[key.length - 17];
    System.arraycopy(key, 0, stateKey, 0, at);
    System.arraycopy(key, at + 17, stateKey, at, key.length - at - 17);
    return stateKey;
  }

  /** The group key of the session {@code [start, end)} of the key {@code stateKey}. */
  static byte[] withWindow(AggregationPlan plan, byte[] stateKey, long start, long end,
      KeyReader keys) {
    int at = windowOffset(plan, stateKey, keys);
    ByteBuffer key = ByteBuffer.allocate(stateKey.length + 17);
    key.put(stateKey, 0, at).put((byte) 1).putLong(start).putLong(end);
    key.put(stateKey, at, stateKey.length - at);
    return key.array();
  }

  /** Sorts by start and merges every session that starts at or before the previous one ends. */
  static List<Session> merge(List<Session> sessions) {
    List<Session> sorted = new ArrayList<>(sessions);
    sorted.sort(Comparator.comparingLong(s -> s.start));
    List<Session> merged = new ArrayList<>();
    Session current = null;
    for (Session s : sorted) {
      if (current != null && s.start <= current.end) {
        current.end = Math.max(current.end, s.end);
        current.buffer.merge(s.buffer);
      } else {
        current = s;
        merged.add(s);
      }
    }
    return merged;
  }
}
