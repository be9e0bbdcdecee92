package io.recsys.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.schemas.InvalidEventException;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.UserEvent;
import io.recsys.schemas.UserEventParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InvalidEventInjectorTest {
  private static final UserEventParser PARSER =
      new UserEventParser(Set.of("view", "click", "cart", "purchase", "rating"));
  private static final Map<InvalidEventInjector.Kind, String> FIELD =
      Map.of(
          InvalidEventInjector.Kind.MALFORMED_JSON, "$",
          InvalidEventInjector.Kind.MISSING_FIELD, "itemId",
          InvalidEventInjector.Kind.WRONG_TYPE, "eventTime",
          InvalidEventInjector.Kind.UNKNOWN_EVENT_TYPE, "eventType",
          InvalidEventInjector.Kind.EMPTY_KEY, "key",
          InvalidEventInjector.Kind.OVERSIZED_VALUE, "$");

  private static RawRecord good() {
    UserEvent event = new UserEvent("user-1", "item-2", "click", null, 1_700_000_000_000L);
    return new RawRecord(
        "user-1".getBytes(StandardCharsets.UTF_8),
        SchemaSerdes.userEvent().serializer().serialize("events", event));
  }

  @ParameterizedTest
  @EnumSource(InvalidEventInjector.Kind.class)
  void shouldMakeRecordsTheParserRejectsNamingTheField(InvalidEventInjector.Kind kind) {
    RawRecord bad = InvalidEventInjector.corrupt(good(), kind);

    assertThatThrownBy(() -> PARSER.parse(bad.key(), bad.value()))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(FIELD.get(kind)));
  }

  @Test
  void shouldLeaveGoodRecordsAloneAtRateZeroAndCorruptAllAtRateOne() throws Exception {
    RawRecord good = good();
    assertThat(new InvalidEventInjector(0, 1).apply(good)).isSameAs(good);
    InvalidEventInjector always = new InvalidEventInjector(1, 1);
    for (int i = 0; i < 12; i++) {
      RawRecord bad = always.apply(good);
      assertThatThrownBy(() -> PARSER.parse(bad.key(), bad.value()))
          .isInstanceOf(InvalidEventException.class);
    }
    assertThat(PARSER.parse(good.key(), good.value()).itemId()).isEqualTo("item-2");
  }
}
