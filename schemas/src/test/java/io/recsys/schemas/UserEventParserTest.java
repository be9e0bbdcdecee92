package io.recsys.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserEventParserTest {
  private final UserEventParser parser =
      new UserEventParser(Set.of("view", "click", "rating"), 1024, 16);

  private UserEvent parse(String key, String json) throws InvalidEventException {
    return parser.parse(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldAcceptAValidEventAndIgnoreUnknownFields() throws Exception {
    UserEvent event =
        parse(
            "u1",
            """
            {"userId":"u1","itemId":"i9","eventType":"RATING","value":4.5,
             "eventTime":1700000000000,"sessionId":"s-1"}""");

    assertThat(event).isEqualTo(new UserEvent("u1", "i9", "rating", 4.5, 1700000000000L));
  }

  @Test
  void shouldTreatNullValueAsAbsent() throws Exception {
    UserEvent event =
        parse(
            "u",
            "{\"userId\":\"u\",\"itemId\":\"i\",\"eventType\":\"view\",\"value\":null,"
                + "\"eventTime\":1700000000005}");

    assertThat(event.value()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          malformed JSON           | u  | {"userId":                                                        | $         | malformed JSON
          not an object            | u  | "just a string"                                                   | $         | expected a JSON object, got string
          missing itemId           | u  | {"userId":"u","eventType":"view","eventTime":1700000000000}                   | itemId    | required field is missing
          userId is a number       | u  | {"userId":7,"itemId":"i","eventType":"view","eventTime":1700000000000}        | userId    | expected a string, got number 7
          blank itemId             | u  | {"userId":"u","itemId":"  ","eventType":"view","eventTime":1700000000000}     | itemId    | must not be blank
          eventTime as string      | u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":"now"}  | eventTime | expected an integer (epoch milliseconds), got string 'now'
          eventTime fractional     | u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":1.5}    | eventTime | expected an integer
          eventTime negative       | u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":-3}     | eventTime | must be positive epoch milliseconds, got -3
          unknown event type       | u  | {"userId":"u","itemId":"i","eventType":"like","eventTime":1700000000000}      | eventType | unknown type 'like'
          value not a number       | u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":1700000000000,"value":"5"} | value | expected a finite number, got string '5'
          id too long              | u  | {"userId":"u","itemId":"iiiiiiiiiiiiiiiiiiii","eventType":"view","eventTime":1700000000000} | itemId | exceeds the limit of 16
          key differs from user    | u2 | {"userId":"u","itemId":"i","eventType":"view","eventTime":1700000000000}      | key       | does not match userId 'u'
          eventTime in seconds     | u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":1700000000} | eventTime | looks like seconds since the epoch, expected milliseconds: 1700000000 read as seconds is 2023-11-14T22:13:20Z
          eventTime in microseconds| u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":1700000000000000} | eventTime | looks like microseconds since the epoch
          eventTime before 1990    | u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":30} | eventTime | is 1970-01-01T00:00:00.030Z, before the earliest accepted time 1990-01-01T00:00:00Z
          eventTime far ahead      | u  | {"userId":"u","itemId":"i","eventType":"view","eventTime":9000000000000000000} | eventTime | ahead of the clock (recsys.event.max.future.ms)
          """)
  void shouldRejectNamingTheField(
      String name, String key, String json, String field, String reason) {
    assertThatThrownBy(() -> parse(key, json))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith(field + ": ")
        .hasMessageContaining(reason);
  }

  @Test
  void shouldRejectEmptyKey() {
    assertThatThrownBy(() -> parse("", "{}"))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("key"));
    assertThatThrownBy(() -> parse(null, "{}")).hasMessageContaining("missing record key");
  }

  @Test
  void shouldRejectOversizedValueWithoutParsingIt() {
    String big = "{\"userId\":\"u\",\"pad\":\"" + "x".repeat(2000) + "\"}";

    assertThatThrownBy(() -> parse("u", big))
        .hasMessage("$: value of " + big.length() + " bytes exceeds the limit of 1024");
  }

  @Test
  void shouldRejectTombstone() {
    assertThatThrownBy(() -> parse("u", null)).hasMessageContaining("missing value");
  }

  @Test
  void shouldRejectControlCharactersInIds() {
    assertThatThrownBy(
            () ->
                parse(
                    "u",
                    "{\"userId\":\"u\",\"itemId\":\"a\\u0000b\",\"eventType\":\"view\","
                        + "\"eventTime\":1}"))
        .hasMessageStartingWith("itemId: must not contain control characters");
  }

  @Test
  void shouldRoundTripThroughTheEventSerde() throws Exception {
    UserEvent event = new UserEvent("u", "i", "click", null, 1_700_000_000_042L);
    byte[] bytes = SchemaSerdes.userEvent().serializer().serialize("t", event);

    assertThat(parser.parse("u".getBytes(StandardCharsets.UTF_8), bytes)).isEqualTo(event);
  }

  @Test
  void shouldAcceptTimesUpToTheFutureBoundAndRejectBeyondIt() throws Exception {
    long now = 1_800_000_000_000L;
    UserEventParser bounded =
        new UserEventParser(
            Set.of("view"), 1024, 64, new EventTimeBounds(631_152_000_000L, 1000, () -> now));

    assertThat(bounded.parse(key("u"), event(now + 1000)).eventTime()).isEqualTo(now + 1000);
    assertThatThrownBy(() -> bounded.parse(key("u"), event(now + 1001)))
        .hasMessageStartingWith("eventTime: is " + (now + 1001))
        .hasMessageContaining("more than 1000 ms ahead of the clock");
    assertThat(bounded.parse(key("u"), event(631_152_000_000L)).eventTime())
        .isEqualTo(631_152_000_000L);
  }

  private static byte[] key(String user) {
    return user.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] event(long time) {
    return ("{\"userId\":\"u\",\"itemId\":\"i\",\"eventType\":\"view\",\"eventTime\":" + time + "}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
