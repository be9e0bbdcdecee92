package io.recsys.app.pipeline.state;

/**
 * What the features step hands to serving about one user: an accepted event ({@link UserActivity})
 * or a request to forget the user ({@link UserErasure}), in the order the task processed them.
 */
public sealed interface UserInput permits UserActivity, UserErasure {}
