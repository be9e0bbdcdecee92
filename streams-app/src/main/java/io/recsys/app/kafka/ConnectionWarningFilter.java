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
 * Turns a Kafka client's stream of "Connection to node N could not be established" warnings, one
 * per reconnect attempt (up to one a second per client), into one warning when a node becomes
 * unreachable, a reminder with the count every {@link #REMINDER_MS} while it stays so, and nothing
 * else. A node unheard of for {@link #QUIET_MS} counts as reachable again, so its next failure
 * warns at once. Installed in {@code logback.xml}; other messages pass untouched.
 */
public final class ConnectionWarningFilter extends TurboFilter {
  static final long REMINDER_MS = 5 * 60_000L;
  static final long QUIET_MS = 60_000L;
  private static final String LOGGER = "org.apache.kafka.clients.NetworkClient";
  private static final String MARK = "could not be established";
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

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN
        || format == null
        || !format.contains(MARK)
        || !LOGGER.equals(logger.getName())) {
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
        int cut = format.indexOf("Connection to node");
        LOG.warn(
            "{}Connection to node {} still fails: {} more attempts in {} s",
            cut > 0 ? format.substring(0, cut) : "",
            params != null && params.length > 0 ? params[0] : "?",
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
