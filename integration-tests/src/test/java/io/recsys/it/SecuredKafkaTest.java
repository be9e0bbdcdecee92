package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.recsys.app.RecsysApp;
import io.recsys.app.broker.EmbeddedKafkaBroker;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.TestKeystores;
import io.recsys.schemas.DeletionReport;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole application against a broker that requires TLS and SASL/SCRAM-SHA-512 on its client
 * listener: every client it creates (admin, streams, trainer, model follower, and the command
 * line's) takes the security settings of the configuration; a wrong password fails at start-up with
 * a message that says so.
 */
class SecuredKafkaTest {
  private static final String USER = "recsys";
  private static final String PASSWORD = "scram-secret";
  private static final int EVENTS = 200;

  @TempDir Path dir;

  private EmbeddedKafkaBroker broker;
  private Path keystore;

  @BeforeEach
  void startSecuredBroker() throws Exception {
    keystore = TestKeystores.selfSigned(dir, "broker");
    broker =
        EmbeddedKafkaBroker.builder(dir.resolve("kafka"))
            .saslSsl(
                new EmbeddedKafkaBroker.SaslSslListener(
                    keystore, TestKeystores.PASSWORD, USER, PASSWORD))
            .deleteDataDirOnClose(true)
            .start();
  }

  @AfterEach
  void stopBroker() {
    broker.close();
  }

  /** What a user writes in the configuration file to reach the secured listener. */
  private Map<String, Object> securedClient(String password) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.secureBootstrapServers());
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER
            + "\" password=\""
            + password
            + "\";");
    config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, keystore.toString());
    config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestKeystores.PASSWORD);
    return config;
  }

  private Map<String, Object> appConfig(String password) {
    Map<String, Object> config = securedClient(password);
    config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, dir.resolve("trainer").toString());
    config.put(RecsysConfig.MODEL_PUBLISH_INTERVAL_CONFIG, "300");
    config.put(RecsysConfig.TRAINER_BATCH_SIZE_CONFIG, "16");
    config.put(RecsysConfig.STARTUP_TIMEOUT_CONFIG, "20000");
    return config;
  }

  @Test
  void shouldRunTheWholePipelineOverTlsAndScram() throws Exception {
    Map<String, Object> config = appConfig(PASSWORD);
    try (RecsysApp app = RecsysApp.start(config)) {
      // Given events written by a secured producer
      try (var producer =
          new KafkaProducer<>(
              securedClient(PASSWORD), new StringSerializer(), new StringSerializer())) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < EVENTS; i++) {
          String user = "user-" + (i % 10);
          String json =
              "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(user, (i * 7) % 31, now + i);
          producer.send(
              new ProducerRecord<>(RecsysConfig.defaults().topics().events(), user, json));
        }
      }
      // Then every one is answered, the trainer trains and the follower loads its versions
      String recommendations = RecsysConfig.defaults().topics().recommendations();
      assertThat(
              CommittedRecords.readUntil(
                  securedClient(PASSWORD), recommendations, EVENTS, Duration.ofSeconds(120)))
          .hasSize(EVENTS);
      Await.until(() -> app.model().get().isPresent());
      assertThat(app.trainer().orElseThrow().examplesTrained()).isPositive();

      // And the command line's clients take the same settings from the file
      CliRun forget =
          CliRun.of("forget", "user-3", "--config", writeConfig(config).toString(), "--json");
      assertThat(forget.exitCode()).as(forget.out() + forget.err()).isZero();
      assertThat(forget.lastJsonLine().get("confirmed"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder(DeletionReport.PIPELINE, DeletionReport.TRAINER);
    }
  }

  @Test
  void shouldFailFastNamingTheCredentialsWhenThePasswordIsWrong() {
    assertThatThrownBy(() -> RecsysApp.create(appConfig("wrong"), PipelineMetrics.inMemory()))
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("sasl.jaas.config");
  }

  private Path writeConfig(Map<String, Object> config) throws Exception {
    Properties properties = new Properties();
    config.forEach((key, value) -> properties.setProperty(key, value.toString()));
    Path file = dir.resolve("secured.properties");
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(writer, null);
    }
    return file;
  }
}
