package io.recsys.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SuggestionsAndKafkaKeysTest {
  @Test
  void shouldSuggestTheClosestNameOnlyWhenItIsClose() {
    List<String> names = List.of("recsys.recommendations.k", "recsys.topic.events");
    assertThat(Suggestions.closest("recsys.recomendations.k", names))
        .contains("recsys.recommendations.k");
    assertThat(Suggestions.closest("recsys.topic.event", names)).contains("recsys.topic.events");
    assertThat(Suggestions.closest("something.else.entirely", names)).isEmpty();
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void shouldAcceptEveryKafkaClientAndStreamsKeyWithOrWithoutAClientPrefix() {
    assertThatCode(
            () ->
                KafkaKeys.check(
                    Map.of(
                        "bootstrap.servers", "b:9092",
                        "processing.guarantee", "exactly_once_v2",
                        "security.protocol", "SASL_SSL",
                        "sasl.jaas.config", "x",
                        "producer.linger.ms", "5",
                        "main.consumer.max.poll.records", "100",
                        "topic.segment.bytes", "1000",
                        "config.providers", "file",
                        "config.providers.file.class", "x",
                        "recsys.topic.events", "e")))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldNameAnUnknownKeyAndTheOneItResembles() {
    assertThatThrownBy(() -> KafkaKeys.check(Map.of("bootstrap.server", "b:9092")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting 'bootstrap.server'")
        .hasMessageContaining("did you mean 'bootstrap.servers'?");
    assertThatThrownBy(() -> KafkaKeys.check(Map.of("producer.linger.msec", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("producer.linger.msec");
  }
}
