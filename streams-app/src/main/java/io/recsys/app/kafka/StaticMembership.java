package io.recsys.app.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The identity an instance keeps across restarts in the pipeline's consumer group ({@code
 * group.instance.id}). A member that comes back under the same identity within the session timeout
 * takes its partitions back without a rebalance, and a dead one is replaced at once instead of
 * being waited for: a restart costs seconds, not the session timeout plus a rebalance.
 */
public final class StaticMembership {
  /** The {@code recsys.instance.id} value that turns static membership off. */
  public static final String DYNAMIC = "dynamic";

  private StaticMembership() {}

  /**
   * The id to join with, or empty for dynamic membership.
   *
   * @param configured {@code recsys.instance.id}: an id, {@link #DYNAMIC}, or blank for the default
   * @param stateDir the instance's state directory: two instances on one host never share one
   */
  public static Optional<String> instanceId(String configured, Path stateDir) {
    if (DYNAMIC.equals(configured)) {
      return Optional.empty();
    }
    if (!configured.isBlank()) {
      return Optional.of(configured);
    }
    return Optional.of(hostName() + "-" + shortHash(stateDir.toAbsolutePath().normalize()));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  private static String shortHash(Path path) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(path.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
