package io.recsys.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Usage errors are caught before any Kafka client is created. */
class RetrainCommandTest {
  @TempDir Path dir;

  private String errors(String... args) throws Exception {
    Path config = dir.resolve("app.properties");
    Files.writeString(config, "bootstrap.servers=localhost:1\n");
    StringWriter err = new StringWriter();
    CommandLine cli = RecsysCommand.commandLine().setErr(new PrintWriter(err));
    String[] all = new String[args.length + 3];
    all[0] = "retrain";
    all[1] = "--config";
    all[2] = config.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    assertThat(cli.execute(all)).isEqualTo(2);
    return err.toString();
  }

  @Test
  void shouldNameTheOptionOfABadValue() throws Exception {
    assertThat(errors("--from", "x"))
        .contains("--from: expected an ISO-8601 instant")
        .contains("'x'");
    assertThat(errors("--to", "1000", "--from", "2000")).contains("range is empty");
    assertThat(errors("--source", "clicks"))
        .contains("--source must be 'events' or 'training-examples', got 'clicks'");
    assertThat(errors("--protocol", "kfold")).contains("--protocol must be 'time' or 'loo'");
    assertThat(errors("--validation-fraction", "1.5"))
        .contains("--validation-fraction must be in (0, 1), got 1.5");
  }

  @Test
  void shouldBeListedByTheTopLevelCommand() {
    assertThat(RecsysCommand.commandLine().getSubcommands()).containsKey("retrain");
  }
}
