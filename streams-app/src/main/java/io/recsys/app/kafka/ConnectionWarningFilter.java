package io.recsys.app.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Turns a Kafka client's stream of "Connection to node N could not be established" and "Bootstrap
 * broker B disconnected" warnings, one per reconnect attempt (up to one a second per client), into
 * one warning when a node becomes unreachable, a reminder with the count every {@link #REMINDER_MS}
 * while it stays so, and nothing else. A node unheard of for {@link #QUIET_MS} counts as reachable
 * again, so its next failure warns at once. Installed in {@code logback.xml}; other messages pass
 * untouched.
 */
public final class ConnectionWarningFilter extends TurboFilter {
  static final long REMINDER_MS = 5 * 60_000L;
  static final long QUIET_MS = 60_000L;
  private static final String LOGGER = "org.apache.kafka.clients.NetworkClient";

  /** The two warnings a client repeats on every reconnect attempt while a broker is away. */
  private static final String[] MARKS = {"could not be established", "disconnected"};

  private static final org.slf4j.Logger LOG =
      LoggerFactory.getLogger(ConnectionWarningFilter.class);

  /** Per client and node: when it last failed, when a warning last passed, failures since. */
  private static final class Outage {
    long lastFailure;
    long lastWarned;
    long suppressed;
  }

  private final Map<String, Outage> outages = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  /** The filter logback instantiates, on the wall clock. */
  public ConnectionWarningFilter() {
    this(System::currentTimeMillis);
  }

  ConnectionWarningFilter(LongSupplier clock) {
    this.clock = clock;
  }

  private static boolean repeated(String format) {
    for (String mark : MARKS) {
      if (format.contains(mark)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN
        || format == null
        || !LOGGER.equals(logger.getName())
        || !repeated(format)) {
      return FilterReply.NEUTRAL;
    }
    // The client's log prefix is part of the format; the node id is the first parameter.
    String key = format + '|' + (params != null && params.length > 0 ? params[0] : "");
    long now = clock.getAsLong();
    Outage outage = outages.computeIfAbsent(key, k -> new Outage());
    synchronized (outage) {
      boolean fresh = outage.lastFailure == 0 || now - outage.lastFailure > QUIET_MS;
      outage.lastFailure = now;
      if (fresh) {
        outage.lastWarned = now;
        outage.suppressed = 0;
        return FilterReply.NEUTRAL;
      }
      if (now - outage.lastWarned >= REMINDER_MS) {
        int cut = format.indexOf(']');
        LOG.warn(
            "{} {} still unreachable: {} more failed attempts in {} s",
            cut > 0 ? format.substring(0, cut + 1) : "Kafka client",
            params != null && params.length > 0 ? params[0] : "a node",
            outage.suppressed,
            (now - outage.lastWarned) / 1000);
        outage.lastWarned = now;
        outage.suppressed = 0;
        return FilterReply.NEUTRAL;
      }
      outage.suppressed++;
      return FilterReply.DENY;
    }
  }
}
