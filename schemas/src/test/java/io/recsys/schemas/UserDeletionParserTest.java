package io.recsys.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UserDeletionParserTest {
  private final UserDeletionParser parser = new UserDeletionParser(20);

  private UserDeletionParser.Request parse(String key, String value) throws Exception {
    return parser.parse(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        "deletions-0@7",
        1234L);
  }

  @Test
  void shouldAcceptARequestWithoutAValueNamingItByItsPlace() throws Exception {
    UserDeletionParser.Request request = parse("alice", null);
    assertThat(request.userId()).isEqualTo("alice");
    assertThat(request.deletion().requestId()).isEqualTo("deletions-0@7");
    assertThat(request.deletion().requestedAt()).isEqualTo(1234L);
    assertThat(parse("alice", "").deletion().requestId()).isEqualTo("deletions-0@7");
  }

  @Test
  void shouldReadTheRequestIdAndTimeOfAJsonValue() throws Exception {
    UserDeletion deletion =
        parse("alice", "{\"requestId\":\"r-1\",\"requestedAt\":99,\"extra\":true}").deletion();
    assertThat(deletion.requestId()).isEqualTo("r-1");
    assertThat(deletion.requestedAt()).isEqualTo(99L);
  }

  @Test
  void shouldRefuseBadRequestsNamingTheField() {
    assertField(null, null, "key");
    assertField(" ", null, "key");
    assertField("x".repeat(21), null, "key");
    assertField("a\u0001b", null, "key");
    assertField("alice", "[1]", "$");
    assertField("alice", "{oops", "$");
    assertField("alice", "{\"requestId\":7}", "requestId");
    assertField("alice", "{\"requestId\":\"" + "r".repeat(200) + "\"}", "requestId");
    assertField("alice", "{\"requestedAt\":-1}", "requestedAt");
    assertField("alice", "{\"requestedAt\":\"soon\"}", "requestedAt");
    assertField("alice", "{\"p\":\"" + "x".repeat(5000) + "\"}", "$");
  }

  private void assertField(String key, String value, String field) {
    assertThatThrownBy(() -> parse(key, value))
        .isInstanceOf(InvalidEventException.class)
        .satisfies(e -> assertThat(((InvalidEventException) e).field()).isEqualTo(field));
  }
}
