package io.sluice.internal.statecodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-line text of a field list, which checkpoints keep beside their state: each reader says
 * which types it accepts, a window among them by its SQL name, which is not a single word.
 */
class FieldsTextTest {
  private static final List<DataType> KEY_TYPES = List.of(DataType.STRING, DataType.WINDOW);

  @Test
  void aWindowFieldIsWrittenByItsSqlNameAndReadsBack() {
    List<Field> fields = List.of(Field.nullable("window", DataType.WINDOW),
        Field.required("user name", DataType.STRING));

    String text = FieldsText.format(fields);

    assertThat(text).isEqualTo("window STRUCT<start: TIMESTAMP, end: TIMESTAMP>,"
        + " `user name` STRING NOT NULL");
    List<Field> read = FieldsText.parse(text, "key layout", KEY_TYPES, List::copyOf);
    assertThat(read).isEqualTo(fields);
  }

  @Test
  void aTypeTheReaderDoesNotAcceptIsAnErrorListingTheOnesItDoes() {
    assertThatThrownBy(() -> FieldsText.parse("n BIGINT", "key layout", KEY_TYPES, List::copyOf))
        .hasMessage("[Sluice/Checkpoint] cannot read the key layout 'n BIGINT': expected one of"
            + " the types STRING, STRUCT<start: TIMESTAMP, end: TIMESTAMP> at position 2");
  }

  @Test
  void aStateSchemaAcceptsNoWindow() {
    assertThatThrownBy(() -> StateSchema.parse("w STRUCT<start: TIMESTAMP, end: TIMESTAMP>"))
        .hasMessage("[Sluice/Checkpoint] cannot read the state schema 'w STRUCT<start: TIMESTAMP,"
            + " end: TIMESTAMP>': expected one of the types BOOLEAN, INT, BIGINT, DOUBLE, STRING,"
            + " TIMESTAMP, BINARY at position 2");
  }
}
