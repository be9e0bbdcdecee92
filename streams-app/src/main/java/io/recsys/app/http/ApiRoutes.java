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

/**
 * The HTTP API's request handlers, one method per endpoint; {@link RecsysHttpServer} maps the paths
 * to them. A user's requests are answered by the instance that owns the user's key, forwarded there
 * when it is another.
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
    if (forwardedElsewhere(ctx, userId)) {
      return;
    }
    Optional<UserFeatures> features = state.features(pseudonyms.of(userId));
    if (features.isEmpty()) {
      RecsysHttpServer.error(ctx, 404, "unknown user", "id");
      return;
    }
    List<String> newestFirst = new ArrayList<>(features.get().recentItems());
    Collections.reverse(newestFirst);
    ctx.json(
        new UserProfile(
            pseudonyms.of(userId),
            newestFirst,
            features.get().eventTypeCounts(),
            features.get().eventCount(),
            features.get().lastEventTime(),
            self));
  }

  void recommendations(Context ctx) throws IOException, InterruptedException {
    String userId = parameters.userId(ctx.pathParam("id"));
    int k = parameters.k(ctx.queryParam("k")).orElse(defaultK);
    if (forwardedElsewhere(ctx, userId)) {
      return;
    }
    ctx.json(recommender.recommend(pseudonyms.of(userId), k));
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

  /**
   * Answers for the owner when another instance owns {@code userId}; false when we own it. Routed
   * by the raw id: producers partition events by it, so the user's state, kept under its pseudonym,
   * lives in the raw id's partition.
   */
  private boolean forwardedElsewhere(Context ctx, String userId)
      throws IOException, InterruptedException {
    KeyOwner.Answer answer = owner.of(userId);
    if (answer instanceof KeyOwner.Local) {
      return false;
    }
    if (answer instanceof KeyOwner.Remote remote && ctx.header(Forwarder.HEADER) == null) {
      String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
      Forwarder.Reply reply = forwarder.forward(remote.host(), ctx.path() + query);
      ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
      return true;
    }
    // No owner right now, or the owner we were told sent it back to us: ownership is moving.
    ctx.header("Retry-After", "1");
    RecsysHttpServer.error(ctx, 503, "the user's owner is not known yet (rebalancing)", null);
    return true;
  }
}
