package io.sluice.api;

/**
 * Makes the record with a given index for {@link DataReader#generate}: a deterministic function of
 * the index (and, if it likes, the time the rate schedule gives that index).
 */
@FunctionalInterface
public interface RecordGenerator<T> {
  T generate(long index, long timestampMillis);
}
