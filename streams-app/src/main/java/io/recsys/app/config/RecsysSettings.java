package io.recsys.app.config;

import io.recsys.model.ModelConfig;
import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.strategy.CooccurrenceWeights;
import io.recsys.schemas.EventTimeBounds;
import io.recsys.schemas.Strategy;
import io.recsys.schemas.UserEventParser;
import java.util.Map;

/**
 * The parsed, validated {@code recsys.*} settings, one record per component; see {@link
 * RecsysConfig} for each one's meaning and default. A component receives its own group.
 *
 * @param recentItems how many of a user's latest items the user-features store keeps
 * @param model the hyperparameters of a new streaming model (a resumed checkpoint keeps its own)
 */
public record RecsysSettings(
    Topics topics,
    Ingest ingest,
    int recentItems,
    Popularity popularity,
    Cooccurrence cooccurrence,
    Serving serving,
    Trainer trainer,
    ModelSync modelSync,
    ModelConfig model,
    Instance instance,
    Http http) {

  /** The topics the application reads and writes, and how it creates missing ones. */
  public record Topics(
      String events,
      String deadLetters,
      String recommendations,
      String itemEvents,
      String popularity,
      String itemPairs,
      String itemNeighbours,
      String trainingExamples,
      String modelUpdates,
      String metrics,
      String userDeletions,
      String deletionReports,
      String trainerLease,
      int partitions,
      short replicationFactor,
      long retentionMs) {}

  /**
   * What validation accepts.
   *
   * @param minEventTimeMs the earliest accepted event time (epoch ms)
   * @param maxFutureMs how far ahead of the clock an event time may be
   * @param userIdKey the secret of pseudonymous user ids, or null for raw ids
   */
  public record Ingest(
      Map<String, Double> eventWeights,
      int maxBytes,
      int maxIdLength,
      long minEventTimeMs,
      long maxFutureMs,
      String userIdKey) {
    public Ingest {
      eventWeights = Map.copyOf(eventWeights);
      if (userIdKey != null && userIdKey.isEmpty()) {
        throw new IllegalArgumentException("userIdKey: must not be empty (leave it unset)");
      }
    }

    /** A record's toString must not print the secret. */
    @Override
    public String toString() {
      return "Ingest[eventWeights="
          + eventWeights
          + ", maxBytes="
          + maxBytes
          + ", maxIdLength="
          + maxIdLength
          + ", minEventTimeMs="
          + minEventTimeMs
          + ", maxFutureMs="
          + maxFutureMs
          + ", userIdKey="
          + (userIdKey == null ? "unset" : "[hidden]")
          + "]";
    }

    /** A parser that accepts what these settings accept, with the wall clock for time bounds. */
    public UserEventParser newParser() {
      return new UserEventParser(
          eventWeights.keySet(),
          maxBytes,
          maxIdLength,
          new EventTimeBounds(minEventTimeMs, maxFutureMs, System::currentTimeMillis));
    }

    /** Weight of an accepted event type (the parser has already rejected unknown types). */
    public double weightOf(String eventType) {
      Double weight = eventWeights.get(eventType);
      if (weight == null) {
        throw new IllegalArgumentException("eventType: no weight configured for " + eventType);
      }
      return weight;
    }
  }

  /** Item popularity and the popularity fallback. */
  public record Popularity(long halfLifeMs, int leaderboardSize, long publishIntervalMs) {}

  /**
   * Item-to-item co-occurrence, kept by the pipeline.
   *
   * @param capacity most neighbours counted per item
   * @param neighbours strongest neighbours published per item
   * @param itemExpiryMs event time after which an item's unchanged pairs are dropped; 0 = never
   */
  public record Cooccurrence(
      boolean enabled,
      CooccurrenceWeights weights,
      long halfLifeMs,
      int capacity,
      int neighbours,
      long itemExpiryMs,
      long publishIntervalMs) {}

  /**
   * How the strategy of each list is chosen.
   *
   * @param fixed the strategy always served where it has a list, or null to choose by evidence
   * @param exploration share of lists served by a strategy other than the winner
   * @param evidenceHalfLifeEvents events of a history group after which an event counts half
   * @param evidenceMinEvents events a strategy needs in a group before its figure there decides
   * @param evidenceSwitchMargin standard errors by which a strategy must lead the blend to be
   *     served instead
   */
  public record Selection(
      Strategy fixed,
      double exploration,
      int evidenceHalfLifeEvents,
      int evidenceMinEvents,
      double evidenceSwitchMargin) {}

  /** How recommendations are made and batched. */
  public record Serving(
      boolean modelEnabled,
      int topK,
      int minHistory,
      int batchSize,
      long batchWaitMs,
      int seenItems,
      int stateSteps,
      int stateUsers,
      IndexSettings index,
      double indexCheckShare,
      Selection selection) {}

  /**
   * The online trainer.
   *
   * @param leaseTimeoutMs how long a standby trainer waits for a silent active one
   */
  public record Trainer(
      boolean enabled,
      String dir,
      int batchSize,
      long batchWaitMs,
      long checkpointIntervalMs,
      int stateSteps,
      int stateUsers,
      long maxLagMs,
      int leaseTimeoutMs,
      long itemExpiryMs,
      int maxItems) {}

  /** How model versions travel from the trainer to serving. */
  public record ModelSync(
      long publishIntervalMs,
      long snapshotIntervalMs,
      long snapshotMaxBytesPerSecond,
      double deltaTolerance,
      boolean quantizedDeltas) {}

  /** Settings of the instance as a whole. */
  /**
   * What an instance is and holds.
   *
   * @param id {@code recsys.instance.id}: a static group member id, blank for the default, or
   *     {@code dynamic}
   */
  public record Instance(
      String registryDir,
      long rocksDbMemoryBytes,
      long metricsIntervalMs,
      long startupTimeoutMs,
      String id) {}

  /**
   * The HTTP server: query API, metrics endpoint, dashboard.
   *
   * @param authToken the bearer token every endpoint but health and readiness requires, or null
   * @param tlsKeystore path of a PKCS12 keystore for HTTPS, or empty for plain HTTP
   */
  public record Http(
      int port,
      String bindAddress,
      String authToken,
      String tlsKeystore,
      String tlsKeystorePassword,
      int maxRequestBytes,
      int maxConcurrentRequests) {
    /** Whether the server speaks HTTPS. */
    public boolean tls() {
      return !tlsKeystore.isBlank();
    }

    /** A record's toString must not print the secrets. */
    @Override
    public String toString() {
      return "Http[port="
          + port
          + ", bindAddress="
          + bindAddress
          + ", authToken="
          + (authToken == null ? "unset" : "[hidden]")
          + ", tlsKeystore="
          + tlsKeystore
          + ", maxRequestBytes="
          + maxRequestBytes
          + ", maxConcurrentRequests="
          + maxConcurrentRequests
          + "]";
    }
  }
}
