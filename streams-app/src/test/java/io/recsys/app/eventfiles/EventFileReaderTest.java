package io.recsys.app.eventfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileReaderTest {
  @TempDir Path dir;

  private Path file(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  @Test
  void shouldReadTheCurrentMovieLensLayoutInTimeOrder() throws Exception {
    Path ratings =
        file(
            "ratings.csv",
            "userId,movieId,rating,timestamp",
            "1,31,2.5,1260759144",
            "1,1029,3.0,1260759179",
            "2,10,4.0,835355493");

    List<FileEvent> events = EventFileReader.read(ratings, Optional.empty());

    assertThat(events)
        .containsExactly(
            new FileEvent("2", "10", "rating", 4.0, 835_355_493_000L, 4),
            new FileEvent("1", "31", "rating", 2.5, 1_260_759_144_000L, 2),
            new FileEvent("1", "1029", "rating", 3.0, 1_260_759_179_000L, 3));
  }

  @Test
  void shouldReadQuotedFieldsMillisecondsAndTypes() throws Exception {
    Path export =
        file(
            "shop.csv",
            "user_id,item_id,event_type,timestamp",
            "u1,\"sku-1,red\",view,1700000000000",
            "",
            "u1,sku-2,purchase,1700000001000");

    List<FileEvent> events = EventFileReader.read(export, Optional.empty());

    assertThat(events)
        .extracting(FileEvent::itemId, FileEvent::eventType, FileEvent::timestampMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sku-1,red", "view", 1_700_000_000_000L),
            org.assertj.core.groups.Tuple.tuple("sku-2", "purchase", 1_700_000_001_000L));
  }

  @Test
  void shouldReadJsonLinesWithAGivenMappingAndIsoTimes() throws Exception {
    Path export =
        file(
            "events.jsonl",
            "{\"customer\":\"c1\",\"product\":\"p9\",\"at\":\"2024-03-01T10:00:00Z\",\"action\":\"cart\"}",
            "{\"customer\":\"c2\",\"product\":7,\"at\":\"2024-03-01\",\"action\":\"view\"}");
    ColumnMapping mapping = ColumnMapping.parse("user=customer,item=product,time=at,type=action");

    List<FileEvent> events = EventFileReader.read(export, Optional.of(mapping));

    assertThat(events)
        .containsExactly(
            new FileEvent("c2", "7", "view", null, 1_709_251_200_000L, 2),
            new FileEvent("c1", "p9", "cart", null, 1_709_287_200_000L, 1));
  }

  @Test
  void shouldReadAHeaderlessTsvByColumnNumbers() throws Exception {
    Path udata = file("u.tsv", "196\t242\t3\t881250949", "186\t302\t3\t891717742");

    List<FileEvent> events =
        EventFileReader.read(
            udata, Optional.of(ColumnMapping.parse("user=1,item=2,value=3,time=4")));

    assertThat(events).extracting(FileEvent::userId).containsExactly("196", "186");
    assertThat(events.get(0).value()).isEqualTo(3.0);
  }

  @Test
  void shouldNameTheLineAndFieldOfWhatCannotBeRead() throws Exception {
    Path badTime = file("bad.csv", "userId,itemId,ts", "u1,i1,1700000000", "u2,i2,yesterday");
    assertThatThrownBy(() -> EventFileReader.read(badTime, Optional.empty()))
        .isInstanceOf(EventFileException.class)
        .hasMessageContaining("bad.csv:3:")
        .hasMessageContaining("time (column 'ts')")
        .hasMessageContaining("'yesterday'");

    Path noUser = file("nouser.csv", "userId,itemId,ts", ",i1,1700000000");
    assertThatThrownBy(() -> EventFileReader.read(noUser, Optional.empty()))
        .hasMessageContaining("nouser.csv:2: no user (column 'userId')");

    Path badValue = file("value.csv", "userId,itemId,rating,ts", "u1,i1,five,1700000000");
    assertThatThrownBy(() -> EventFileReader.read(badValue, Optional.empty()))
        .hasMessageContaining("value.csv:2: value (column 'rating'): 'five' is not a number");

    Path badJson = file("bad.jsonl", "{\"userId\":\"u\",\"itemId\":\"i\",\"ts\":1}", "{oops");
    assertThatThrownBy(() -> EventFileReader.read(badJson, Optional.empty()))
        .hasMessageContaining("bad.jsonl:2: not a JSON object");
  }

  @Test
  void shouldSayWhichColumnsItCouldNotTellApart() throws Exception {
    Path unknown = file("odd.csv", "a,b,c", "1,2,3");
    assertThatThrownBy(() -> EventFileReader.read(unknown, Optional.empty()))
        .hasMessageContaining("odd.csv:1: cannot tell the user column among [a, b, c]")
        .hasMessageContaining("--columns");

    Path named = file("named.csv", "who,what,when", "1,2,3");
    assertThatThrownBy(
            () ->
                EventFileReader.read(
                    named, Optional.of(ColumnMapping.parse("user=who,item=what,time=date"))))
        .hasMessageContaining("no column 'date' (the time) in [who, what, when]");
    assertThatThrownBy(() -> ColumnMapping.parse("user=a,item=b"))
        .hasMessageContaining("no time column");
    assertThatThrownBy(() -> ColumnMapping.parse("user=a,item=b,time=c,colour=d"))
        .hasMessageContaining("unknown role 'colour'");
  }

  @Test
  void shouldTellSecondsFromMillisecondsAndReadIsoTimes() {
    assertThat(EventTimes.toEpochMillis("1700000000")).isEqualTo(1_700_000_000_000L);
    assertThat(EventTimes.toEpochMillis("1700000000.25")).isEqualTo(1_700_000_000_250L);
    assertThat(EventTimes.toEpochMillis("1700000000123")).isEqualTo(1_700_000_000_123L);
    assertThat(EventTimes.toEpochMillis("2023-11-14T22:13:20Z")).isEqualTo(1_700_000_000_000L);
    assertThat(EventTimes.toEpochMillis("2023-11-15T00:13:20+02:00")).isEqualTo(1_700_000_000_000L);
    assertThat(EventTimes.toEpochMillis("2023-11-14 22:13:20")).isEqualTo(1_700_000_000_000L);
    assertThatThrownBy(() -> EventTimes.toEpochMillis("14/11/2023"))
        .hasMessageContaining("neither epoch");
  }
}
