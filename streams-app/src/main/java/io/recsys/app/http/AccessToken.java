package io.recsys.app.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token the HTTP API requires ({@code recsys.http.auth.token}), or none. A request
 * carries it in {@code Authorization: Bearer <token>}, or, for a browser opening the dashboard,
 * where no header can be set on a page load or an {@code EventSource}, as the {@code access_token}
 * query parameter (RFC 6750, section 2.3). Compared in constant time. Thread-safe.
 */
final class AccessToken {
  static final String QUERY_PARAMETER = "access_token";
  private static final String SCHEME = "Bearer ";

  private final byte[] token;

  /**
   * @param token the token, or null for an open API
   */
  AccessToken(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  boolean required() {
    return token != null;
  }

  /** Whether {@code ctx} may be answered. */
  boolean admits(Context ctx) {
    if (token == null) {
      return true;
    }
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return matches(header.substring(SCHEME.length()).strip());
    }
    String query = ctx.queryParam(QUERY_PARAMETER);
    return query != null && matches(query);
  }

  /** The header value that admits a request (for forwarding), or null for an open API. */
  String authorization() {
    return token == null ? null : SCHEME + new String(token, StandardCharsets.UTF_8);
  }

  private boolean matches(String offered) {
    return MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
  }
}
