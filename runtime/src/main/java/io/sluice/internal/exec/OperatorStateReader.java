package io.sluice.internal.exec;

import io.sluice.api.Field;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes one kind of stateful operator's state entries for the state reader ({@link
 * StateTable}), from the layout the operator recorded beside its state. {@link
 * OperatorStateReaders} knows the kinds and picks one.
 */
interface OperatorStateReader {
  /** The columns it shows, after {@code partition_id}. */
  List<Field> columns();

  /** The rows of one state partition's entries, as values in column order. */
  List<@Nullable Object[]> rows(Map<ByteBuffer, byte[]> entries);
}
