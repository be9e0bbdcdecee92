package io.recsys.it;

import io.recsys.app.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A Kafka broker in a JVM of its own, for tests that kill it: {@code BrokerProcess DATA_DIR PORT
 * CONTROLLER_PORT} prints {@code READY <bootstrap>} once it serves and runs until its standard
 * input closes (or it is killed), or prints {@code FAILED <reason>} and exits. Restarted on the
 * same directory and ports it keeps every topic, record and committed offset.
 */
public final class BrokerProcess {
  private BrokerProcess() {}

  public static void main(String[] args) throws IOException {
    EmbeddedKafkaBroker broker;
    try {
      broker =
          EmbeddedKafkaBroker.builder(Path.of(args[0]))
              .port(Integer.parseInt(args[1]))
              .controllerPort(Integer.parseInt(args[2]))
              .start();
    } catch (RuntimeException e) {
      // Kafka's non-daemon threads would keep a failed JVM alive: say so and leave.
      System.out.println("FAILED " + e);
      System.out.flush();
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
      return;
    }
    try (broker) {
      System.out.println("READY " + broker.bootstrapServers());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Runs until the parent closes our standard input.
      }
    }
  }
}
