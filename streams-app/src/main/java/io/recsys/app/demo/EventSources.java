package io.recsys.app.demo;

import io.recsys.model.data.Interaction;
import io.recsys.model.data.MovieLensReader;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** Opens the demo's input: the synthetic behaviour generator or a MovieLens replay. */
final class EventSources {
  static final String MOVIELENS_PREFIX = "movielens:";

  private EventSources() {}

  static Iterator<UserEvent> open(String spec, DemoOptions.Catalogue catalogue, long seed)
      throws IOException {
    if (spec.startsWith(MOVIELENS_PREFIX)) {
      return movieLens(Path.of(spec.substring(MOVIELENS_PREFIX.length())));
    }
    return catalogue == null
        ? SyntheticBehaviour.create(seed)
        : new SyntheticBehaviour(
            SyntheticBehaviourConfig.scaled(seed, catalogue.items(), catalogue.users()));
  }

  /** Every rating as a {@code rating} event, in timestamp order (ties in file order). */
  static Iterator<UserEvent> movieLens(Path dir) throws IOException {
    List<Interaction> interactions = MovieLensReader.read(dir);
    Iterator<Interaction> source = interactions.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public UserEvent next() {
        Interaction interaction = source.next();
        return new UserEvent(
            interaction.userId(),
            interaction.itemId(),
            "rating",
            interaction.rating(),
            interaction.timestampMs());
      }
    };
  }
}
