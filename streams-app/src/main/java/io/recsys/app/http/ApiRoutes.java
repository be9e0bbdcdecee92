package io.recsys.app.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.DeletionRequests;
import io.recsys.app.erasure.UserPseudonyms;
import io.recsys.features.UserFeatures;
import io.recsys.schemas.UserDeletion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The HTTP API's request handlers, one method per endpoint; {@link RecsysHttpServer} maps the paths
 * to them. A user's requests are answered by the instance that owns the user's key, forwarded there
 * when it is another, and from a standby copy (marked stale) while the owner is down or moving.
 */
record ApiRoutes(
    KafkaStreams streams,
    PrometheusMeterRegistry registry,
    BooleanSupplier modelLoaded,
    RequestParameters parameters,
    int defaultK,
    KeyOwner owner,
    Forwarder forwarder,
    LocalUserState state,
    QueryRecommender recommender,
    DeletionRequests deletions,
    UserPseudonyms pseudonyms,
    RecsysSettings.Topics topics,
    String self) {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  void health(Context ctx) {
    KafkaStreams.State streamState = streams.state();
    // Alive unless the stream has failed for good: a restarting or rebalancing stream is
    // expected to recover and must not get the process killed.
    boolean alive =
        streamState != KafkaStreams.State.ERROR
            && streamState != KafkaStreams.State.PENDING_ERROR
            && streamState != KafkaStreams.State.NOT_RUNNING;
    ctx.status(alive ? 200 : 503)
        .json(Map.of("status", alive ? "UP" : "DOWN", "streams", streamState.name()));
  }

  void ready(Context ctx) {
    KafkaStreams.State streamState = streams.state();
    boolean running = streamState == KafkaStreams.State.RUNNING;
    boolean model = modelLoaded.getAsBoolean();
    List<String> waitingFor = new ArrayList<>();
    if (!running) {
      waitingFor.add("streams " + streamState.name() + ", not RUNNING");
    }
    if (!model) {
      waitingFor.add("no model loaded");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", waitingFor.isEmpty());
    body.put("streams", streamState.name());
    body.put("modelLoaded", model);
    body.put("waitingFor", waitingFor);
    ctx.status(waitingFor.isEmpty() ? 200 : 503).json(body);
  }

  void metrics(Context ctx) {
    ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape());
  }

  void user(Context ctx) throws IOException, InterruptedException {
    String userId = parameters.userId(ctx.pathParam("id"));
    String key = pseudonyms.of(userId);
    answerForUser(
        ctx,
        userId,
        (stores, stale) -> {
          Optional<UserFeatures> features = stores.features(key);
          if (features.isEmpty()) {
            RecsysHttpServer.error(ctx, 404, "unknown user", "id");
            return;
          }
          List<String> newestFirst = new ArrayList<>(features.get().recentItems());
          Collections.reverse(newestFirst);
          ctx.json(
              new UserProfile(
                  key,
                  newestFirst,
                  features.get().eventTypeCounts(),
                  features.get().eventCount(),
                  features.get().lastEventTime(),
                  self,
                  stale));
        },
        () -> {
          // A profile cannot be made up: ask again once the partition has a reachable copy.
          ctx.header("Retry-After", "1");
          RecsysHttpServer.error(
              ctx, 503, "no copy of the user's state is reachable (failing over)", null);
        });
  }

  void recommendations(Context ctx) throws IOException, InterruptedException {
    String userId = parameters.userId(ctx.pathParam("id"));
    int k = parameters.k(ctx.queryParam("k")).orElse(defaultK);
    String key = pseudonyms.of(userId);
    answerForUser(
        ctx,
        userId,
        (stores, stale) -> ctx.json(recommender.recommend(stores, key, k, stale)),
        () -> ctx.json(recommender.withoutState(key, k)));
  }

  /**
   * Writes a request to forget the user to {@code user-deletions} and answers 202 with its id. Any
   * instance can: the request travels to the user's owner through the topic, in order with the
   * user's events. A user nobody knows is forgotten all the same (and confirmed).
   */
  void forget(Context ctx) {
    String userId = parameters.userId(ctx.pathParam("id"));
    UserDeletion deletion = deletions.request(userId);
    ctx.status(202)
        .json(
            new DeletionAccepted(
                deletion.requestId(),
                deletion.requestedAt(),
                topics.userDeletions(),
                topics.deletionReports()));
  }

  /** Answers a query from one copy of the user's state. */
  @FunctionalInterface
  interface StateQuery {
    /**
     * @param stale whether {@code stores} may be behind the current state
     */
    void answer(LocalUserState.UserStores stores, boolean stale);
  }

  /**
   * Answers from the freshest copy of the user's state that can be read now: this instance's active
   * task; else the active instance's, by forwarding; else, while the active copy is moving or its
   * instance does not answer, a standby copy (here, or forwarded to a standby), marked stale; else
   * {@code withoutState}. Routed by the raw id: producers partition events by it, so the user's
   * state, kept under its pseudonym, lives in the raw id's partition. A forwarded request is never
   * forwarded again, which bounds a disagreement about ownership during a rebalance to one hop.
   */
  private void answerForUser(Context ctx, String userId, StateQuery query, Runnable withoutState)
      throws IOException, InterruptedException {
    KeyOwner.Placement placement = owner.of(userId);
    boolean forwarded = ctx.header(Forwarder.HEADER) != null;
    if (placement.activeHere()) {
      try {
        query.answer(state.active(), false);
        return;
      } catch (InvalidStateStoreException e) {
        state.forgetActive();
      }
    } else if (placement.active().isPresent()
        && !forwarded
        && relayed(ctx, placement.active().get())) {
      return;
    }
    if (placement.partition() >= 0) {
      try {
        query.answer(state.replica(placement.partition()), true);
        return;
      } catch (InvalidStateStoreException e) {
        // This instance holds no copy of the partition.
      }
      if (!forwarded) {
        for (HostInfo standby : placement.standbys()) {
          if (!owner.self().map(standby::equals).orElse(false) && relayed(ctx, standby)) {
            return;
          }
        }
      }
    }
    withoutState.run();
  }

  /**
   * Forwards the request to {@code host} and relays its answer, unless it does not answer or
   * answers with a server error (it is dying, or lost the partition): then false, and nothing is
   * written.
   */
  private boolean relayed(Context ctx, HostInfo host) throws InterruptedException {
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    Forwarder.Reply reply;
    try {
      reply = forwarder.forward(host, ctx.path() + query);
    } catch (IOException e) {
      return false;
    }
    if (reply.status() >= 500) {
      return false;
    }
    ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
    return true;
  }
}
