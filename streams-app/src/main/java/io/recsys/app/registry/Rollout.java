package io.recsys.app.registry;

import io.recsys.app.config.RecsysSettings;
import io.recsys.schemas.Recommendation;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a registry version live: checks it ({@link CompatibilityCheck}), publishes it ({@link
 * ModelPublisher}), records it in the {@link PromotionHistory}, and optionally waits for the first
 * recommendation it makes ({@link FirstRecommendationWatch}). Nothing is published or recorded for
 * a version that fails the check.
 */
public final class Rollout {
  private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);

  private final ModelRegistry registry;
  private final PromotionHistory history;
  private final RecsysSettings settings;
  private final Map<String, ?> clientConfig;

  public Rollout(ModelRegistry registry, RecsysSettings settings, Map<String, ?> clientConfig) {
    this.registry = registry;
    this.history = new PromotionHistory(registry.root());
    this.settings = settings;
    this.clientConfig = clientConfig;
  }

  /**
   * The outcome of a promotion or rollback.
   *
   * @param firstRecommendation the first recommendation of the version's lineage, when waited for
   *     and seen in time
   * @param firstRecommendationMs from just before publishing to the moment that recommendation was
   *     computed; null when not waited for or not seen
   */
  public record Result(
      Promotion promotion,
      ModelPublisher.Published published,
      CompatibilityCheck.Checked checked,
      Optional<Recommendation> firstRecommendation,
      Long firstRecommendationMs) {}

  /** Publishes {@code version} and records it as promoted. */
  public Result promote(int version, Optional<Duration> wait)
      throws IOException, ModelRefusedException {
    return rollOut(Promotion.PROMOTE, version, wait);
  }

  /**
   * Re-publishes the version live before the current one and records the rollback.
   *
   * @throws IllegalStateException when the history holds no earlier version
   */
  public Result rollback(Optional<Duration> wait) throws IOException, ModelRefusedException {
    Optional<Integer> target = history.rollbackTarget();
    if (target.isEmpty()) {
      throw new IllegalStateException(
          history
              .live()
              .map(
                  live ->
                      "nothing to roll back to: v"
                          + live
                          + " is the only version promoted (see "
                          + history.file()
                          + ")")
              .orElse("nothing to roll back to: no version was ever promoted"));
    }
    return rollOut(Promotion.ROLLBACK, target.get(), wait);
  }

  private Result rollOut(String action, int version, Optional<Duration> wait)
      throws IOException, ModelRefusedException {
    RegisteredModel model =
        registry
            .get(version)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "model v" + version + " is not in the registry " + registry.root()));
    CompatibilityCheck.Checked checked = new CompatibilityCheck(settings).check(model);
    Integer previous = history.live().orElse(null);
    ModelPublisher publisher = new ModelPublisher(clientConfig, settings.topics().modelUpdates());
    FirstRecommendationWatch watch =
        wait.isPresent()
            ? new FirstRecommendationWatch(clientConfig, settings.topics().recommendations())
            : null;
    try {
      long started = System.currentTimeMillis();
      ModelPublisher.Published published = publisher.publish(model);
      Promotion promotion =
          new Promotion(action, version, previous, published.version().createdAt());
      history.append(promotion);
      LOG.info(
          "{} {}: published {} bytes in {} chunks",
          action,
          model.name(),
          published.bytes(),
          published.chunks());
      Optional<Recommendation> first =
          watch == null ? Optional.empty() : watch.await(model.name(), wait.get());
      Long firstMs = first.map(r -> r.computedAt() - started).orElse(null);
      return new Result(promotion, published, checked, first, firstMs);
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
  }
}
