package io.recsys.app.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Start-up check that the cluster answers, so that an address where nothing listens fails in
 * seconds with one line naming it, instead of a minute of connection warnings and a misleading
 * topic-creation timeout.
 */
public final class ClusterCheck {
  private ClusterCheck() {}

  /**
   * Waits until the cluster describes itself.
   *
   * @param bootstrap the {@code bootstrap.servers} value, for the message
   * @throws BrokerUnreachableException naming the address, the wait and the likely causes
   */
  public static void awaitReachable(Admin admin, Object bootstrap, Duration timeout) {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .clusterId()
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerUnreachableException("interrupted while reaching " + bootstrap, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new BrokerUnreachableException(
          "cannot reach the Kafka cluster at "
              + bootstrap
              + " within "
              + timeout.toSeconds()
              + " s (recsys.startup.timeout.ms): nothing listening there, a wrong host or port,"
              + " or a security.protocol that does not match the broker's listener ("
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage()
              + ")",
          e);
    }
  }
}
