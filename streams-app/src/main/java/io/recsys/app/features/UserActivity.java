package io.recsys.app.features;

import io.recsys.features.UserFeatures;
import io.recsys.schemas.UserEvent;

/** An accepted event together with the user's features just before and just after it. */
public record UserActivity(UserEvent event, UserFeatures before, UserFeatures after) {}
