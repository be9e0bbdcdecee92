package io.recsys.app.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Ties the HTTP port to Kafka Streams' {@code application.server}, which other instances read from
 * the streams metadata to forward a query to the instance that owns a user. Without it an instance
 * could not tell another where to find its keys.
 */
public final class HttpEndpoint {
  /** Host advertised when the user sets no {@code application.server}: right for one machine. */
  static final String DEFAULT_HOST = "localhost";

  private HttpEndpoint() {}

  /**
   * Sets {@code application.server} to {@code localhost:<port>} in {@code streamsConfig} unless the
   * user set it or HTTP is disabled ({@code httpPort} -1). Port 0 is resolved here to a free port,
   * since the advertised address must be known before Kafka Streams starts; the HTTP server then
   * binds that port ({@link #listenPort}). Deployments with several hosts set {@code
   * application.server} themselves to an address the other instances can reach.
   */
  public static void configure(Map<String, Object> streamsConfig, int httpPort) {
    if (httpPort < 0 || streamsConfig.get(StreamsConfig.APPLICATION_SERVER_CONFIG) != null) {
      return;
    }
    int port = httpPort == 0 ? freePort() : httpPort;
    streamsConfig.put(StreamsConfig.APPLICATION_SERVER_CONFIG, DEFAULT_HOST + ":" + port);
  }

  /** The address this instance advertises, if any. */
  public static Optional<HostInfo> advertised(Map<String, Object> streamsConfig) {
    Object server = streamsConfig.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    if (server == null || server.toString().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(HostInfo.buildFromEndpoint(server.toString()));
  }

  /**
   * The port to listen on: the configured one, or for 0 the advertised one (so that what others are
   * told and what we listen on agree), or 0 (any) when nothing is advertised.
   */
  public static int listenPort(int configuredPort, Optional<HostInfo> advertised) {
    if (configuredPort != 0) {
      return configuredPort;
    }
    return advertised.map(HostInfo::port).orElse(0);
  }

  private static int freePort() {
    // The port is released before Jetty binds it: another process could take it in between, a
    // race accepted for the demo and tests (production sets a fixed port).
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port for the HTTP server", e);
    }
  }
}
