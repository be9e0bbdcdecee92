package io.recsys.app.pipeline.state;

import io.recsys.features.UserFeatures;
import io.recsys.schemas.UserEvent;

/**
 * An accepted event together with the user's features just before and just after it.
 *
 * @param firstTouch whether this event is the first time the user touched its item: serving needs
 *     it to tell which items were still unseen when an earlier event of the same batch happened
 */
public record UserActivity(
    UserEvent event, UserFeatures before, UserFeatures after, boolean firstTouch)
    implements UserInput {}
