package io.recsys.app.serving;

import io.recsys.app.features.UserActivity;

/**
 * An event waiting in the serving batch (store {@code serving-pending}), with the timestamp of the
 * input record it came from. Kept in a changelogged store so that a crash between reading the
 * event and publishing its recommendation replays it instead of dropping it.
 */
public record PendingActivity(UserActivity activity, long timestamp) {}
