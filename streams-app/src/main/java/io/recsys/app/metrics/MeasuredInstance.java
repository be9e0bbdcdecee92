package io.recsys.app.metrics;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.modelsync.CurrentModel;
import java.util.Map;

/**
 * What {@link MetricsPublisher} reads of the instance it reports on. The wiring's {@code RecsysApp}
 * is one.
 */
public interface MeasuredInstance {
  RecsysSettings settings();

  /** The Kafka Streams and client configuration the instance runs with. */
  Map<String, Object> streamsConfig();

  PipelineMetrics metrics();

  /** The trainer's figures (all zero when this process runs no trainer). */
  TrainerMetrics trainerMetrics();

  /** Whether this process runs a trainer. */
  boolean trainerRunning();

  CurrentModel model();
}
