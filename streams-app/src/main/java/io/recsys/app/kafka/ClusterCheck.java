package io.recsys.app.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

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
   * @throws BrokerUnreachableException naming the address, the wait and the likely causes; at once,
   *     naming the settings to check, when the cluster refuses the credentials or the TLS handshake
   *     fails (the admin client does not retry those)
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
      if (cause instanceof SslAuthenticationException) {
        throw new BrokerUnreachableException(
            "the TLS handshake with the Kafka cluster at "
                + bootstrap
                + " failed: check ssl.truststore.location and ssl.truststore.password (the"
                + " broker's certificate must be trusted) and security.protocol ("
                + cause.getMessage()
                + ")",
            e);
      }
      if (cause instanceof AuthenticationException) {
        throw new BrokerUnreachableException(
            "the Kafka cluster at "
                + bootstrap
                + " refused the credentials: check sasl.mechanism and the user and password in"
                + " sasl.jaas.config ("
                + cause.getMessage()
                + ")",
            e);
      }
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
