package io.recsys.app.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionHistoryTest {
  @TempDir Path dir;

  @Test
  void shouldHaveNothingLiveAndNothingToRollBackToBeforeAnyPromotion() throws Exception {
    PromotionHistory history = new PromotionHistory(dir);
    assertThat(history.entries()).isEmpty();
    assertThat(history.live()).isEmpty();
    assertThat(history.rollbackTarget()).isEmpty();
  }

  @Test
  void shouldHaveNothingToRollBackToAfterOnePromotion() throws Exception {
    PromotionHistory history = new PromotionHistory(dir);
    history.append(new Promotion(Promotion.PROMOTE, 1, null, 100));
    assertThat(history.live()).contains(1);
    assertThat(history.rollbackTarget()).isEmpty();
  }

  @Test
  void shouldRollBackToTheVersionLiveBeforeAndFurtherBackOnASecondRollback() throws Exception {
    PromotionHistory history = new PromotionHistory(dir);
    history.append(new Promotion(Promotion.PROMOTE, 1, null, 100));
    history.append(new Promotion(Promotion.PROMOTE, 2, 1, 200));
    history.append(new Promotion(Promotion.PROMOTE, 3, 2, 300));
    assertThat(history.live()).contains(3);
    assertThat(history.rollbackTarget()).contains(2);

    history.append(new Promotion(Promotion.ROLLBACK, 2, 3, 400));
    assertThat(history.live()).contains(2);
    assertThat(history.rollbackTarget()).contains(1);

    history.append(new Promotion(Promotion.ROLLBACK, 1, 2, 500));
    assertThat(history.live()).contains(1);
    assertThat(history.rollbackTarget()).isEmpty();

    // Promoting after a rollback stacks on the version rolled back to
    history.append(new Promotion(Promotion.PROMOTE, 4, 1, 600));
    assertThat(history.rollbackTarget()).contains(1);
  }

  @Test
  void shouldAppendOneJsonLinePerEntryAndNeverRewrite() throws Exception {
    PromotionHistory history = new PromotionHistory(dir);
    history.append(new Promotion(Promotion.PROMOTE, 1, null, 100));
    String first = Files.readString(history.file());
    history.append(new Promotion(Promotion.ROLLBACK, 1, 2, 200));

    String all = Files.readString(history.file());
    assertThat(all).startsWith(first);
    assertThat(all.lines()).hasSize(2);
    assertThat(all.lines().toList().get(1))
        .contains("\"action\":\"rollback\"")
        .contains("\"version\":1")
        .contains("\"at\":200");
    assertThat(history.entries())
        .containsExactly(
            new Promotion(Promotion.PROMOTE, 1, null, 100),
            new Promotion(Promotion.ROLLBACK, 1, 2, 200));
  }

  @Test
  void shouldNameTheFileAndLineOfAnUnreadableEntry() throws Exception {
    PromotionHistory history = new PromotionHistory(dir);
    history.append(new Promotion(Promotion.PROMOTE, 1, null, 100));
    Files.writeString(
        history.file(), "not json\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertThatThrownBy(history::live)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("promotions.jsonl line 2");
  }

  @Test
  void shouldRejectAnUnknownAction() {
    assertThatThrownBy(() -> new Promotion("deploy", 1, null, 0))
        .hasMessageContaining("action")
        .hasMessageContaining("deploy");
  }
}
