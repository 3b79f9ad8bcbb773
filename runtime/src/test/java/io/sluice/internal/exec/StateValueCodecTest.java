package io.sluice.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a state variable's record layouts are kept: one file per variable name, never shared. */
class StateValueCodecTest {
  @Test
  void plainNamesKeepTheirFileName() {
    assertThat(StateValueCodec.layoutFile("lastCountry_2-b")).isEqualTo("transform.lastCountry_2-b");
  }

  @Test
  void namesThatDifferOnlyInOtherCharactersGetDifferentFiles() {
    List<String> files = List.of("a.b", "a_b", "a/b", "a~2eb", "aé").stream()
        .map(StateValueCodec::layoutFile).toList();
    assertThat(files).containsExactly("transform.a~2eb", "transform.a_b", "transform.a~2fb",
        "transform.a~7e2eb", "transform.a~c3~a9");
    assertThat(files).doesNotHaveDuplicates();
  }
}
