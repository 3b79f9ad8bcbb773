package io.sluice.internal.statecodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.SluiceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A query restarted with a changed state type reads the values its checkpoint holds: fields are
 * matched by name, a nullable field may be added, a field removed or made nullable; values in the
 * old and the new layout are read side by side. Any other change is refused up front with an
 * error naming the state, the field, both types and what may change.
 *
 * <p>The types before and after a change are different classes here: {@code Session} is the type
 * a checkpoint was written with, the others what a restarted query declares.
 */
public class StateEvolutionTest {
  private static final String STATE = "state 'sessions' of operator flatMapGroupsWithState";
  private static final String ALLOWED = "; a state's type may only change by adding a nullable "
      + "field, removing a field or making a field nullable; to change it otherwise, start from a "
      + "new checkpoint location";
  private static final String PREFIX = "[Sluice/Checkpoint] cannot read " + STATE + " as "
      + "io.sluice.internal.statecodec.StateEvolutionTest.";

  public record Session(String user, long visits, Instant last) {}

  public record WithPages(String user, long visits, Instant last, Integer pages, String referrer,
      Instant first) {}

  public record VisitsOnly(long visits) {}

  public record Reordered(Instant last, long visits, String user) {}

  public record NullableVisits(String user, Long visits, Instant last) {}

  public record RequiredPages(String user, long visits, Instant last, int pages) {}

  public record IntVisits(String user, int visits, Instant last) {}

  public record LastAsMillis(String user, long visits, Long last) {}

  public record UserAsNumber(long visits, Integer user) {}

  private static final Session ANN = new Session("ann", 3, Instant.ofEpochMilli(1000));
  private static final Session NOBODY = new Session(null, 0, null);

  /** The bytes a query that declared {@link Session} left in its checkpoint. */
  private static byte[] written(Session value) {
    return StateCodec.of(Session.class).encode(value);
  }

  private static List<StateSchema> sessionLayouts() {
    return StateCodec.of(Session.class).layouts();
  }

  // Allowed changes

  @Test
  void anAddedNullableFieldReadsAsNull() {
    StateCodec<WithPages> codec = StateCodec.reading(WithPages.class, sessionLayouts(), STATE);

    assertThat(codec.decode(written(ANN)))
        .isEqualTo(new WithPages("ann", 3, Instant.ofEpochMilli(1000), null, null, null));
    assertThat(codec.decode(written(NOBODY)))
        .isEqualTo(new WithPages(null, 0, null, null, null, null));
  }

  @Test
  void aRemovedFieldIsSkipped() {
    StateCodec<VisitsOnly> codec = StateCodec.reading(VisitsOnly.class, sessionLayouts(), STATE);

    assertThat(codec.decode(written(ANN))).isEqualTo(new VisitsOnly(3));
    assertThat(codec.decode(written(NOBODY))).isEqualTo(new VisitsOnly(0));
  }

  @Test
  void fieldsAreMatchedByNameInAnyOrder() {
    StateCodec<Reordered> codec = StateCodec.reading(Reordered.class, sessionLayouts(), STATE);

    assertThat(codec.decode(written(ANN)))
        .isEqualTo(new Reordered(Instant.ofEpochMilli(1000), 3, "ann"));
  }

  @Test
  void aFieldMayBecomeNullable() {
    StateCodec<NullableVisits> codec =
        StateCodec.reading(NullableVisits.class, sessionLayouts(), STATE);

    assertThat(codec.decode(written(ANN)))
        .isEqualTo(new NullableVisits("ann", 3L, Instant.ofEpochMilli(1000)));
  }

  @Test
  void oldAndNewValuesAreReadSideBySide() {
    StateCodec<WithPages> codec = StateCodec.reading(WithPages.class, sessionLayouts(), STATE);
    WithPages updated = new WithPages("bob", 1, null, 4, "/", Instant.EPOCH);
    byte[] rewritten = codec.encode(updated);

    assertThat(rewritten[0]).as("layout version").isEqualTo((byte) 1);
    assertThat(codec.layouts()).containsExactly(StateSchema.of(Session.class),
        StateSchema.of(WithPages.class));
    assertThat(codec.decode(rewritten)).isEqualTo(updated);
    assertThat(codec.decode(written(ANN)).user()).isEqualTo("ann");
  }

  @Test
  void everyEarlierLayoutStaysReadable() {
    StateCodec<WithPages> second = StateCodec.reading(WithPages.class, sessionLayouts(), STATE);
    byte[] fromSecond = second.encode(new WithPages("bob", 1, null, 4, "/", null));
    StateCodec<VisitsOnly> third =
        StateCodec.reading(VisitsOnly.class, second.layouts(), STATE);

    assertThat(third.layouts()).hasSize(3);
    assertThat(third.decode(written(ANN))).isEqualTo(new VisitsOnly(3));
    assertThat(third.decode(fromSecond)).isEqualTo(new VisitsOnly(1));
    assertThat(third.decode(third.encode(new VisitsOnly(9)))).isEqualTo(new VisitsOnly(9));
  }

  @Test
  void layoutsSurviveTheirTextForm() {
    List<StateSchema> kept = StateCodec.reading(WithPages.class, sessionLayouts(), STATE)
        .layouts().stream().map(StateSchema::toString).map(StateSchema::parse).toList();

    assertThat(StateCodec.reading(VisitsOnly.class, kept, STATE).decode(written(ANN)))
        .isEqualTo(new VisitsOnly(3));
  }

  @Test
  void anUnchangedTypeKeepsItsLayoutAndItsBytes() {
    StateCodec<Session> codec = StateCodec.reading(Session.class, sessionLayouts(), STATE);

    assertThat(codec.layouts()).containsExactly(StateSchema.of(Session.class));
    assertThat(codec.encode(ANN)).isEqualTo(written(ANN));
  }

  // Refused changes

  @Test
  void aNewNotNullFieldIsRefused() {
    assertRefused(RequiredPages.class, "RequiredPages: field 'pages' was absent when the state "
        + "was written and is now INT NOT NULL");
  }

  @Test
  void aChangedTypeIsRefused() {
    assertRefused(IntVisits.class, "IntVisits: field 'visits' was BIGINT NOT NULL when the state "
        + "was written and is now INT NOT NULL");
    assertRefused(LastAsMillis.class, "LastAsMillis: field 'last' was TIMESTAMP when the state "
        + "was written and is now BIGINT");
  }

  @Test
  void aNullableFieldMayNotBecomeNotNull() {
    List<StateSchema> written = List.of(StateSchema.of(NullableVisits.class));

    assertThatThrownBy(() -> StateCodec.reading(Session.class, written, STATE))
        .isInstanceOf(SluiceException.class)
        .hasMessage(PREFIX + "Session: field 'visits' was BIGINT when the state was written and "
            + "is now BIGINT NOT NULL" + ALLOWED);
  }

  @Test
  void anEarlierLayoutStillCounts() {
    // Against VisitsOnly, user is a nullable field added; values written as Session remain.
    List<StateSchema> layouts = StateCodec.reading(VisitsOnly.class, sessionLayouts(), STATE)
        .layouts();

    assertThatThrownBy(() -> StateCodec.reading(UserAsNumber.class, layouts, STATE))
        .hasMessage(PREFIX + "UserAsNumber: field 'user' was STRING when the state was written "
            + "and is now INT" + ALLOWED);
  }

  private static void assertRefused(Class<?> type, String change) {
    assertThatThrownBy(() -> StateCodec.reading(type, sessionLayouts(), STATE))
        .isInstanceOf(SluiceException.class)
        .hasMessage(PREFIX + change + ALLOWED);
  }

  // Keys

  @Test
  void aKeyTypeMayNotChangeAtAll() {
    StateSchema written = StateSchema.of(Session.class);

    assertThat(StateCodec.readingKey(Session.class, written, STATE).encode(ANN))
        .isEqualTo(written(ANN));
    assertThatThrownBy(() -> StateCodec.readingKey(WithPages.class, written, STATE))
        .isInstanceOf(SluiceException.class)
        .hasMessage("[Sluice/Checkpoint] cannot read " + STATE + " with keys of "
            + "io.sluice.internal.statecodec.StateEvolutionTest.WithPages: the key was (user "
            + "STRING, visits BIGINT NOT NULL, last TIMESTAMP) when the state was written and is "
            + "now (user STRING, visits BIGINT NOT NULL, last TIMESTAMP, pages INT, referrer "
            + "STRING, first TIMESTAMP); a state's key type cannot change, since a key's bytes "
            + "are what find its value; start from a new checkpoint location");
  }

  @Test
  void aStateHasAtMost256Layouts() {
    // As if the type had changed back and forth 255 times: its version byte is full.
    List<StateSchema> layouts = new ArrayList<>();
    for (int i = 0; i < StateCodec.MAX_LAYOUTS; i++) {
      layouts.add(StateSchema.of(i % 2 == 0 ? Session.class : WithPages.class));
    }
    StateCodec<WithPages> last = StateCodec.reading(WithPages.class, layouts, STATE);
    WithPages value = new WithPages("ann", 1, null, 2, null, null);

    assertThat(last.encode(value)[0]).isEqualTo((byte) 255);
    assertThat(last.decode(last.encode(value))).isEqualTo(value);
    assertThat(last.decode(written(ANN)).user()).isEqualTo("ann");
    assertThatThrownBy(() -> StateCodec.reading(Session.class, layouts, STATE))
        .hasMessage("[Sluice/Checkpoint] " + STATE + " has been written in 256 layouts, the most "
            + "a state can have; start from a new checkpoint location to change its type again");
  }
}
