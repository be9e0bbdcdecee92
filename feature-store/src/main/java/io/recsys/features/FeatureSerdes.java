package io.recsys.features;

import io.recsys.schemas.JsonSerde;
import org.apache.kafka.common.serialization.Serde;

/** Serdes of the feature records, for stores and internal topics. */
public final class FeatureSerdes {
  private FeatureSerdes() {}

  public static Serde<UserFeatures> userFeatures() {
    return new JsonSerde<>(UserFeatures.class);
  }

  public static Serde<ItemPopularity> itemPopularity() {
    return new JsonSerde<>(ItemPopularity.class);
  }

  public static Serde<PopularitySnapshot> popularitySnapshot() {
    return new JsonSerde<>(PopularitySnapshot.class);
  }

  public static Serde<ItemPairs> itemPairs() {
    return new JsonSerde<>(ItemPairs.class);
  }

  public static Serde<ItemNeighbours> itemNeighbours() {
    return new JsonSerde<>(ItemNeighbours.class);
  }
}
