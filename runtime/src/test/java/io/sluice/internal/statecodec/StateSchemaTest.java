package io.sluice.internal.statecodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.SluiceException;
import org.junit.jupiter.api.Test;

/**
 * A state schema's one-line text, which a checkpoint keeps, reads back as the same schema, and
 * text that is not one is an error that says where.
 */
class StateSchemaTest {
  @Test
  void aTypesSchemaIsItsComponentsInOrder() {
    assertThat(StateSchema.of(StateCodecTest.Everything.class)).hasToString("id BIGINT NOT NULL, "
        + "count INT NOT NULL, score DOUBLE NOT NULL, flag BOOLEAN NOT NULL, total BIGINT, "
        + "rank INT, ratio DOUBLE, seen BOOLEAN, name STRING, at TIMESTAMP");
  }

  @Test
  void itsTextReadsBackAsTheSameSchema() {
    StateSchema schema = StateSchema.of(StateCodecTest.Everything.class);

    assertThat(StateSchema.parse(schema.toString())).isEqualTo(schema);
  }

  @Test
  void namesThatAreNotIdentifiersAreBackquoted() {
    StateSchema schema = StateSchema.of(Field.nullable("a b", DataType.STRING),
        Field.nullable("x`y", DataType.INT), Field.required("", DataType.LONG),
        Field.nullable("ok_1$", DataType.TIMESTAMP));

    assertThat(schema).hasToString("`a b` STRING, `x``y` INT, `` BIGINT NOT NULL, "
        + "ok_1$ TIMESTAMP");
    assertThat(StateSchema.parse(schema.toString())).isEqualTo(schema);
  }

  @Test
  void aTypeWithoutFieldsIsTheEmptyText() {
    assertThat(StateSchema.of(StateCodecTest.Marker.class)).hasToString("");
    assertThat(StateSchema.parse("")).isEqualTo(StateSchema.of());
  }

  @Test
  void spacingIsFree() {
    assertThat(StateSchema.parse("  a INT ,b   STRING   NOT  NULL  ")).isEqualTo(StateSchema.of(
        Field.nullable("a", DataType.INT), Field.required("b", DataType.STRING)));
  }

  @Test
  void malformedTextIsAnErrorThatSaysWhere() {
    assertMalformed("user STRNG", "expected one of the types BOOLEAN, INT, BIGINT, DOUBLE, "
        + "STRING, TIMESTAMP, BINARY at position 5");
    assertMalformed("a INT NOT", "expected NOT NULL, ',' or the end at position 9");
    assertMalformed("a INT b INT", "expected NOT NULL, ',' or the end at position 7");
    assertMalformed("a INT,", "expected a field name at position 6");
    assertMalformed("a INT; b INT", "expected ',' at position 5");
    assertMalformed("`a INT", "a backquoted name is not closed at position 1");
    assertMalformed("a INT, a BIGINT", "two fields are named 'a' at position 15");
  }

  private static void assertMalformed(String text, String why) {
    assertThatThrownBy(() -> StateSchema.parse(text)).isInstanceOf(SluiceException.class)
        .hasMessage("[Sluice/Checkpoint] cannot read the state schema '" + text + "': " + why);
  }
}
