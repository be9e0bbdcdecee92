package io.recsys.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.config.RecsysConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The mistakes a newcomer makes, each answered with one line on stderr that says what was wrong,
 * where and what to do, exit status 2 for a usage error and 1 for a failure while running, and no
 * stack trace unless {@code --verbose} asks for one.
 */
class CommandErrorsTest {
  @TempDir Path dir;

  private record Outcome(int exitCode, String err) {
    /** The lines that are not logging (logs go to System.err, not to this writer). */
    List<String> lines() {
      return err.lines().filter(line -> !line.isBlank()).toList();
    }
  }

  private static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine line = RecsysCommand.commandLine();
    line.setOut(new PrintWriter(new StringWriter(), true));
    line.setErr(new PrintWriter(err, true));
    int code = line.execute(args);
    return new Outcome(code, err.toString());
  }

  private Path config(String... lines) throws Exception {
    Path file = Files.createTempFile(dir, "recsys", ".properties");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static void assertOneMessage(Outcome outcome, int exitCode, String... fragments) {
    assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(exitCode);
    assertThat(outcome.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    assertThat(outcome.lines().get(0)).contains(fragments);
    assertThat(outcome.lines().size()).as(outcome.err()).isLessThanOrEqualTo(3);
  }

  @Test
  void shouldRejectANegativeEventCountNamingTheFlag() {
    assertOneMessage(
        run("demo", "--max-events", "-5"), 2, "recsys demo: --max-events must be >= 0", "-5");
  }

  @Test
  void shouldRejectAnUnknownPaceNamingTheChoices() {
    assertOneMessage(
        run("demo", "--pace", "fast"), 2, "--pace must be none or trainer, got 'fast'");
  }

  @Test
  void shouldRejectAnEmptyWindow() {
    assertOneMessage(run("demo", "--window", "0"), 2, "--window must be >= 1 event, got 0");
  }

  @Test
  void shouldNameAMissingConfigFile() {
    Path missing = dir.resolve("nope.properties");
    assertOneMessage(
        run("demo", "--config", missing.toString()), 2, missing.toString(), "no such file");
  }

  @Test
  void shouldSuggestTheSettingAMistypedOneMeant() throws Exception {
    Path file = config("recsys.recomendations.k=20");
    assertOneMessage(
        run("demo", "--config", file.toString()),
        2,
        file.toString(),
        "unknown recsys setting 'recsys.recomendations.k'",
        "did you mean 'recsys.recommendations.k'?");
  }

  @Test
  void shouldNameAnOutOfRangeSetting() throws Exception {
    Path file = config(RecsysConfig.TOP_K_CONFIG + "=0");
    assertOneMessage(
        run("demo", "--config", file.toString()),
        2,
        "recsys.recommendations.k",
        "Value must be at least 1");
  }

  @Test
  void shouldSuggestTheKafkaSettingAMistypedKeyMeant() throws Exception {
    Path file = config("bootstrap.server=localhost:9092");
    assertOneMessage(
        run("run", "--config", file.toString()),
        2,
        "unknown setting 'bootstrap.server'",
        "did you mean 'bootstrap.servers'?");
  }

  @Test
  void shouldExplainADataDirectoryWithoutARatingsFile() throws Exception {
    Path data = Files.createDirectories(dir.resolve("ml-latest"));
    Files.writeString(data.resolve("movies.csv"), "movieId,title\n");
    assertOneMessage(
        run("demo", "--data", "movielens:" + data),
        2,
        "holds none of ratings.dat (ML-1M), u.data (ML-100K), ratings.csv",
        "file:PATH");
  }

  @Test
  void shouldGiveTheSameStatusForAMissingPrefixInEveryCommand() throws Exception {
    Path data = Files.createDirectories(dir.resolve("ml"));
    Outcome demo = run("demo", "--data", data.toString());
    Outcome evaluate = run("evaluate", "--data", data.toString());

    assertOneMessage(
        demo, 2, "--data", "a directory; for a MovieLens folder write movielens:" + data);
    assertOneMessage(
        evaluate, 2, "--data", "a directory; for a MovieLens folder write movielens:" + data);
  }

  @Test
  void shouldTreatACommandWithoutItsSubcommandAsAUsageError() {
    assertOneMessage(run("models"), 2, "recsys models: missing subcommand");
    assertOneMessage(run(), 2, "recsys: missing command");
  }

  @Test
  void shouldSuggestTheSubcommandAndTheFlagATypoMeant() {
    Outcome subcommand = run("dmeo");
    Outcome flag = run("demo", "--max-event", "5");

    assertOneMessage(subcommand, 2, "'dmeo'");
    assertThat(subcommand.err()).contains("Did you mean: demo?");
    assertOneMessage(flag, 2, "'--max-event'");
    assertThat(flag.err()).contains("--max-events");
  }

  @Test
  void shouldFailFastNamingAnAddressWhereNoBrokerListens() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path file =
        config(
            "bootstrap.servers=127.0.0.1:" + port,
            RecsysConfig.STARTUP_TIMEOUT_CONFIG + "=500",
            RecsysConfig.HTTP_PORT_CONFIG + "=-1",
            "state.dir=" + dir.resolve("state"));
    assertOneMessage(
        run("run", "--config", file.toString()),
        1,
        "cannot reach the Kafka cluster at 127.0.0.1:" + port,
        "nothing listening there");
  }

  @Test
  void shouldNameTheBusyPortAndTheSettingThatMovesIt() throws Exception {
    try (ServerSocket busy = new ServerSocket(0)) {
      Path file = config(RecsysConfig.HTTP_PORT_CONFIG + "=" + busy.getLocalPort());
      assertOneMessage(
          run(
              "demo",
              "--config",
              file.toString(),
              "--max-events",
              "10",
              "--work-dir",
              dir.resolve("work").toString()),
          1,
          "cannot listen for HTTP",
          "recsys.http.port");
    }
  }

  @Test
  void shouldPrintTheStackTraceWhenAskedToBeVerbose() {
    Outcome outcome = run("demo", "--max-events", "-5", "--verbose");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("--max-events must be >= 0").contains("\tat ");
  }

  @Test
  void shouldSayItIsABugAndShowTheTraceForAnUnexpectedFailure() {
    StringWriter err = new StringWriter();
    CommandLine line = RecsysCommand.commandLine();
    line.setErr(new PrintWriter(err, true));
    CommandLine.ParseResult parsed = line.parseArgs("config");

    int code =
        new ErrorReporter()
            .handleExecutionException(new IllegalStateException("broken invariant"), line, parsed);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("internal error, a bug in recsys")
        .contains("broken invariant")
        .contains("\tat ");
  }
}
