package io.recsys.schemas;

import org.apache.kafka.common.serialization.Serde;

/** Serdes of the records of the public topics. */
public final class SchemaSerdes {
  private SchemaSerdes() {}

  /** Writes a valid {@link UserEvent} as the JSON that {@link UserEventParser} accepts. */
  public static Serde<UserEvent> userEvent() {
    return new JsonSerde<>(UserEvent.class);
  }

  public static Serde<Recommendation> recommendation() {
    return new JsonSerde<>(Recommendation.class);
  }

  public static Serde<TrainingExampleRecord> trainingExample() {
    return new JsonSerde<>(TrainingExampleRecord.class);
  }

  public static Serde<MetricsRecord> metrics() {
    return new JsonSerde<>(MetricsRecord.class);
  }

  public static Serde<UserDeletion> userDeletion() {
    return new JsonSerde<>(UserDeletion.class);
  }

  public static Serde<DeletionReport> deletionReport() {
    return new JsonSerde<>(DeletionReport.class);
  }
}
