package io.recsys.app.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How an instance names itself in what it publishes (metrics records, deletion reports): {@code
 * <application.id>@<application.server>}, or the host name where no server is advertised.
 */
public final class InstanceName {
  private InstanceName() {}

  public static String of(Map<String, ?> streamsConfig) {
    Object server = streamsConfig.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    String host;
    if (server != null && !server.toString().isBlank()) {
      host = server.toString();
    } else {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "unknown-host";
      }
    }
    return streamsConfig.get(StreamsConfig.APPLICATION_ID_CONFIG) + "@" + host;
  }
}
