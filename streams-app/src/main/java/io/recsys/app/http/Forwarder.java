package io.recsys.app.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Forwards a query to the instance that owns the user and relays its answer, so that a client may
 * ask any instance. Forwarded requests carry {@link #HEADER}; an instance never forwards such a
 * request again, which bounds a disagreement about ownership during a rebalance to one hop.
 * Thread-safe.
 */
final class Forwarder {
  static final String HEADER = "X-Recsys-Forwarded-By";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The owner's answer. */
  record Reply(int status, String contentType, byte[] body) {}

  private final HttpClient client;
  private final String scheme;
  private final String authorization;
  private final String self;

  /** Plain HTTP, no token: as a lone test instance or an open deployment. */
  Forwarder(String self) {
    this(self, null, null);
  }

  /**
   * @param tls the client context for instances that speak HTTPS, or null for plain HTTP
   * @param authorization the {@code Authorization} header the owner requires, or null
   */
  Forwarder(String self, SSLContext tls, String authorization) {
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.client = builder.build();
    this.scheme = tls != null ? "https" : "http";
    this.authorization = authorization;
    this.self = self;
  }

  /**
   * @param pathAndQuery the original request's path (still URL-encoded) and query string
   */
  Reply forward(HostInfo owner, String pathAndQuery) throws IOException, InterruptedException {
    URI uri = URI.create(scheme + "://" + owner.host() + ":" + owner.port() + pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).header(HEADER, self).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<byte[]> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse("application/json"),
        response.body());
  }
}
