package io.recsys.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class TimestampConverterTest {
  private final TimestampConverter converter = new TimestampConverter();

  @Test
  void shouldReadEpochMillisAndIsoInstants() {
    assertThat(converter.convert("1700000000000")).isEqualTo(1_700_000_000_000L);
    assertThat(converter.convert(" 0 ")).isZero();
    assertThat(converter.convert("2023-11-14T22:13:20Z")).isEqualTo(1_700_000_000_000L);
    assertThat(converter.convert("2023-11-14T22:13:20.5Z")).isEqualTo(1_700_000_000_500L);
  }

  @Test
  void shouldNameWhatItExpectsWhenTheTextIsNeither() {
    for (String bad : new String[] {"yesterday", "2023-11-14", "99999999999999999999", ""}) {
      assertThatThrownBy(() -> converter.convert(bad))
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("ISO-8601")
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
