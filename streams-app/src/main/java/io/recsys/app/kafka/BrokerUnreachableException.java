package io.recsys.app.kafka;

/** The Kafka cluster named by {@code bootstrap.servers} did not answer in time at start-up. */
public final class BrokerUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BrokerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
