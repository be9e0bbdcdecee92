package io.recsys.app.cli;

import io.javalin.util.JavalinBindException;
import io.recsys.app.config.Suggestions;
import io.recsys.app.kafka.BrokerUnreachableException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a failed command reaches the user: one line on stderr saying what was wrong, where (flag,
 * file and line, setting) and what to do, and the same exit status in every subcommand: {@value
 * #USAGE} for a usage error (flags, files, settings, data), {@value #RUNTIME} for a failure while
 * running (a broker out of reach, a port in use). A stack trace follows only with {@code
 * --verbose}, and always for a bug, with a line saying it is one.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
  static final int USAGE = 2;
  static final int RUNTIME = 1;

  /** A failure the user can act on: its line and exit status. */
  record Known(String message, int exitCode) {}

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    PrintWriter err = line.getErr();
    err.println(prefix(line) + e.getMessage());
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = new ArrayList<>(unmatched.getSuggestions());
      if (suggestions.isEmpty() && !unmatched.getUnmatched().isEmpty()) {
        // Picocli's similarity misses transpositions ('dmeo'); edit distance finds them.
        Set<String> names = new TreeSet<>(line.getSubcommands().keySet());
        names.addAll(line.getCommandSpec().optionsMap().keySet());
        Suggestions.closest(unmatched.getUnmatched().get(0), names).ifPresent(suggestions::add);
      }
      if (!suggestions.isEmpty()) {
        err.println("Did you mean: " + String.join(", ", suggestions) + "?");
      }
    }
    err.println("Run '" + line.getCommandSpec().qualifiedName() + " --help' for its options.");
    if (verbose(args)) {
      e.printStackTrace(err);
    }
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine line, ParseResult parsed) {
    PrintWriter err = line.getErr();
    Optional<Known> known = classify(e);
    if (known.isPresent()) {
      err.println(prefix(line) + known.get().message());
      if (verbose(parsed.originalArgs().toArray(String[]::new))) {
        e.printStackTrace(err);
      }
      err.flush();
      return known.get().exitCode();
    }
    err.println(
        prefix(line)
            + "internal error, a bug in recsys: "
            + e
            + ". Please report it with the stack trace below.");
    e.printStackTrace(err);
    err.flush();
    return RUNTIME;
  }

  /** The line and exit status for a failure the user caused or can fix; empty for a bug. */
  static Optional<Known> classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UsageError) {
        return Optional.of(new Known(t.getMessage(), USAGE));
      }
      if (t instanceof ConfigException) {
        return Optional.of(new Known("configuration: " + t.getMessage(), USAGE));
      }
      if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
        return Optional.of(new Known("no such file: " + fileOf(t) + ".", USAGE));
      }
      if (t instanceof AccessDeniedException) {
        return Optional.of(new Known("permission denied: " + fileOf(t) + ".", USAGE));
      }
      if (t instanceof BindException || t instanceof JavalinBindException) {
        return Optional.of(
            new Known(
                "cannot listen for HTTP: "
                    + t.getMessage()
                    + " Set recsys.http.port to a free port (0 picks one) or -1 to turn HTTP"
                    + " off.",
                RUNTIME));
      }
      if (t instanceof BrokerUnreachableException) {
        return Optional.of(new Known(t.getMessage(), RUNTIME));
      }
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        // Reading the user's files and data: the message names the file (and line).
        if (t.getMessage() != null && !(t.getCause() instanceof IOException)) {
          return Optional.of(new Known(t.getMessage(), RUNTIME));
        }
      }
    }
    return Optional.empty();
  }

  private static String fileOf(Throwable t) {
    return t instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
        ? fs.getFile()
        : t.getMessage();
  }

  private static String prefix(CommandLine line) {
    return line.getCommandSpec().qualifiedName() + ": ";
  }

  private static boolean verbose(String[] args) {
    for (String arg : args) {
      if (arg.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
