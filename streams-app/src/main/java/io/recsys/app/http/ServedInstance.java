package io.recsys.app.http;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.pipeline.serving.Strategies;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the HTTP server reads of the instance it serves: its settings, its Kafka Streams (state
 * stores and key owners), its client configuration (the metrics feed's consumer) and the model it
 * serves, and the strategies it chooses among. The wiring's {@code RecsysApp} is one.
 */
public interface ServedInstance {
  RecsysSettings settings();

  KafkaStreams streams();

  /** The Kafka Streams and client configuration the instance runs with. */
  Map<String, Object> streamsConfig();

  CurrentModel model();

  /** The strategies and the strategy selector the instance's pipeline uses. */
  Strategies strategies();
}
