package io.recsys.app.pipeline.serving;

import io.recsys.app.pipeline.state.UserActivity;

/**
 * An event waiting in the serving batch (store {@code serving-pending}), with the timestamp of the
 * input record it came from. Kept in a changelogged store so that a crash between reading the event
 * and publishing its recommendation replays it instead of dropping it.
 */
public record PendingActivity(UserActivity activity, long timestamp) {}
