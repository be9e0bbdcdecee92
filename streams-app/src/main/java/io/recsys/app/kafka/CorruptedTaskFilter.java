package io.recsys.app.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.slf4j.Marker;

/**
 * Drops what Kafka Streams logs while it discards and restores the state of tasks that an unclean
 * exactly-once stop left uncommitted: a warning per store (twice), a warning with a stack trace per
 * task and one for all of them, and one ERROR listing a {@link TaskCorruptedException} with its
 * stack trace per task. That is its designed recovery, not a failure; {@link StateRecovery} reports
 * it in one WARN line with what was restored and how long it took. Any other message, and one about
 * any other exception, passes. Installed in {@code logback.xml}.
 */
public final class CorruptedTaskFilter extends TurboFilter {
  private static final String INTERNALS = "org.apache.kafka.streams.processor.internals.";
  private static final Pattern EXCEPTION_NAME =
      Pattern.compile("([\\w.$]+(?:Exception|Error))(?=[:,}\\s]|$)");

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || !logger.getName().startsWith(INTERNALS)) {
      return FilterReply.NEUTRAL;
    }
    String source = logger.getName().substring(INTERNALS.length());
    boolean expected =
        carriesCorruption(params, t)
            || switch (source) {
              case "ProcessorStateManager" ->
                  level == Level.WARN && format.contains("did not find checkpoint offsets");
              case "StateDirectory" ->
                  level == Level.WARN
                      && format.contains("Failed to register startup state stores")
                      && mentionsCorruption(params);
              case "TaskManager" ->
                  level == Level.ERROR
                      && format.contains("Get exceptions for the following tasks")
                      && onlyCorruptedTasks(format, params);
              default -> false;
            };
    return expected ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  /** The exception logged with the message, given as the throwable or as the last argument. */
  private static boolean carriesCorruption(Object[] params, Throwable t) {
    return t instanceof TaskCorruptedException
        || params != null
            && params.length > 0
            && params[params.length - 1] instanceof TaskCorruptedException;
  }

  private static boolean mentionsCorruption(Object[] params) {
    if (params != null) {
      for (Object param : params) {
        if (param != null && param.toString().contains("are corrupted")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether every exception of the task-to-exception map is a {@link TaskCorruptedException}: the
   * map is the argument, or (through Kafka's log context, which formats before logging) its text.
   */
  private static boolean onlyCorruptedTasks(String format, Object[] params) {
    if (params != null && params.length > 0 && params[0] instanceof Map<?, ?> failures) {
      return !failures.isEmpty()
          && failures.values().stream().allMatch(e -> e instanceof TaskCorruptedException);
    }
    Matcher exceptions = EXCEPTION_NAME.matcher(format);
    boolean any = false;
    while (exceptions.find()) {
      if (!exceptions.group(1).equals(TaskCorruptedException.class.getName())) {
        return false;
      }
      any = true;
    }
    return any;
  }
}
