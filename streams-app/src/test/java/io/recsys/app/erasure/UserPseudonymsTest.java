package io.recsys.app.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.app.config.RecsysConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserPseudonymsTest {
  @Test
  void shouldLeaveIdsAsTheyAreWithoutAKey() {
    UserPseudonyms raw = UserPseudonyms.of(RecsysConfig.defaults().ingest());
    assertThat(raw.enabled()).isFalse();
    assertThat(raw.of("alice")).isEqualTo("alice");
  }

  @Test
  void shouldGiveStableDistinctPseudonymsThatDependOnTheKey() {
    UserPseudonyms one =
        UserPseudonyms.of(
            RecsysConfig.parse(Map.of(RecsysConfig.USER_ID_KEY_CONFIG, "first")).ingest());
    UserPseudonyms again = UserPseudonyms.keyed("first");
    UserPseudonyms other = UserPseudonyms.keyed("second");

    assertThat(one.of("alice")).isEqualTo(again.of("alice")).startsWith("p-").hasSize(24);
    assertThat(one.of("alice")).isNotEqualTo(other.of("alice")).doesNotContain("alice");
    Set<String> pseudonyms = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      pseudonyms.add(one.of("user-" + i));
    }
    assertThat(pseudonyms).hasSize(10_000);
  }

  @Test
  void shouldNotPrintTheKey() {
    var ingest = RecsysConfig.parse(Map.of(RecsysConfig.USER_ID_KEY_CONFIG, "s3cret")).ingest();
    assertThat(ingest.toString()).doesNotContain("s3cret").contains("[hidden]");
    assertThatThrownBy(() -> UserPseudonyms.keyed("")).isInstanceOf(IllegalArgumentException.class);
  }
}
