package io.recsys.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensReaderTest {
  @TempDir Path dir;

  @Test
  void shouldReadRatingsDatSortedByTimeWithTiesInFileOrderAndMilliseconds() throws IOException {
    Files.writeString(dir.resolve("ratings.dat"), "1::10::5::300\n1::11::3::100\n2::12::4::100\n");
    List<Interaction> read = MovieLensReader.read(dir);
    assertThat(read)
        .containsExactly(
            new Interaction("1", "11", 3, 100_000L),
            new Interaction("2", "12", 4, 100_000L),
            new Interaction("1", "10", 5, 300_000L));
  }

  @Test
  void shouldReadTabSeparatedUData() throws IOException {
    Files.writeString(dir.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
    assertThat(MovieLensReader.read(dir))
        .containsExactly(
            new Interaction("196", "242", 3, 881250949000L),
            new Interaction("186", "302", 3, 891717742000L));
  }

  @Test
  void shouldNameTheDirectoryWhenNoRatingsFileExists() {
    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString());
  }

  @Test
  void shouldReadTheSharedMl100kWhenPresent() throws IOException {
    Path ml100k =
        Path.of(System.getProperty("recsys.datasets.dir", "../../shared/datasets"), "ml-100k");
    assumeTrue(Files.isRegularFile(ml100k.resolve("u.data")), "ml-100k not present");
    List<Interaction> read = MovieLensReader.read(ml100k);
    assertThat(read).hasSize(100_000);
    for (int i = 1; i < read.size(); i++) {
      assertThat(read.get(i).timestampMs()).isGreaterThanOrEqualTo(read.get(i - 1).timestampMs());
    }
  }
}
