package io.recsys.app.demo;

import io.recsys.app.eventfiles.ColumnMapping;
import io.recsys.app.eventfiles.EventHistories;
import io.recsys.app.eventfiles.FileEvent;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

/** Opens the demo's input: the synthetic behaviour generator or a recorded history, replayed. */
final class EventSources {
  private EventSources() {}

  /**
   * @param spec {@code synthetic}, or an event history ({@link EventHistories})
   * @param columns the columns of an event file, or empty to recognise them
   */
  static Iterator<UserEvent> open(
      String spec, Optional<ColumnMapping> columns, DemoOptions.Catalogue catalogue, long seed)
      throws IOException {
    if (!spec.equals("synthetic")) {
      return EventHistories.read(spec, columns).stream().map(FileEvent::toUserEvent).iterator();
    }
    return catalogue == null
        ? SyntheticBehaviour.create(seed)
        : new SyntheticBehaviour(
            SyntheticBehaviourConfig.scaled(seed, catalogue.items(), catalogue.users()));
  }
}
