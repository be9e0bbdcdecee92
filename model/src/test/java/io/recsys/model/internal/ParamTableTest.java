package io.recsys.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParamTableTest {
  @Test
  void shouldReportOnlyTheNewRowsAsWrittenWhenARowTrackedTableGrows() {
    ParamTable table = new ParamTable(4, 3);
    table.markRow(1);
    long stamp = table.writes();

    table.grow(7);

    // The old rows kept their values, so a reader of changes need not compare them again.
    assertThat(table.rowsWrittenSince(stamp)).containsExactly(4, 5, 6);
    table.markRow(0);
    assertThat(table.rowsWrittenSince(stamp)).containsExactly(0, 4, 5, 6);
  }

  @Test
  void shouldReportEveryRowAsWrittenWhenADenselyWrittenTableGrows() {
    ParamTable table = new ParamTable(2, 3);
    table.markAll();
    long stamp = table.writes();

    table.grow(3);

    assertThat(table.rowsWrittenSince(stamp)).containsExactly(0, 1, 2);
  }
}
