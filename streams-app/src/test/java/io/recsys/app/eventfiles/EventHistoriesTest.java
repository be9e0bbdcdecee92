package io.recsys.app.eventfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventHistoriesTest {
  @TempDir Path dir;

  @Test
  void shouldReadEveryMovieLensLayoutAndEventFiles() throws Exception {
    Path latest = Files.createDirectories(dir.resolve("ml-latest"));
    Files.writeString(
        latest.resolve("ratings.csv"),
        "userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n2,10,4.0,835355493\n");
    Path old = Files.createDirectories(dir.resolve("ml-100k"));
    Files.writeString(old.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
    Path export =
        Files.writeString(dir.resolve("e.csv"), "user,item,timestamp\nu1,g1,1420070401\n");

    assertThat(EventHistories.read("movielens:" + latest, Optional.empty()))
        .extracting(FileEvent::userId)
        .containsExactly("2", "1");
    assertThat(EventHistories.interactions("movielens:" + old, Optional.empty()))
        .extracting(i -> i.itemId() + "@" + i.timestampMs())
        .containsExactly("242@881250949000", "302@891717742000");
    assertThat(EventHistories.read("file:" + export, Optional.empty()))
        .containsExactly(new FileEvent("u1", "g1", "view", null, 1_420_070_401_000L, 2));
    assertThat(EventHistories.read(export.toString(), Optional.empty())).hasSize(1);
  }

  @Test
  void shouldSayWhatToWriteInsteadOfAWrongSource() {
    assertThatThrownBy(() -> EventHistories.check(dir.toString()))
        .hasMessageContaining("a directory; for a MovieLens folder write movielens:");
    assertThatThrownBy(() -> EventHistories.check("file:" + dir.resolve("missing.csv")))
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> EventHistories.check("movielens:" + dir))
        .hasMessageContaining("holds none of ratings.dat");
  }
}
