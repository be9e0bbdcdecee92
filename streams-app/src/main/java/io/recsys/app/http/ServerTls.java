package io.recsys.app.http;

import io.recsys.app.config.RecsysSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the API from a PKCS12 keystore ({@code recsys.http.tls.keystore.path}): the server's
 * connector, and the client context that forwarded queries use, which trusts the certificates of
 * the same keystore (instances share one certificate, or one that all of them trust).
 */
final class ServerTls {
  private ServerTls() {}

  /** Checks the keystore opens with its password before the server starts. */
  static void check(RecsysSettings.Http http) {
    load(http);
  }

  /** An HTTPS connector on the configured address and {@code port}. */
  static Connector connector(
      RecsysSettings.Http http, int port, Server server, HttpConfiguration config) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(http.tlsKeystore());
    ssl.setKeyStoreType("PKCS12");
    if (http.tlsKeystorePassword() != null) {
      ssl.setKeyStorePassword(http.tlsKeystorePassword());
    }
    // The certificates are the operator's own (often for a service name, not a host): the SNI
    // host check would refuse clients that connect by address.
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    config.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(server, ssl, new HttpConnectionFactory(config));
    connector.setHost(http.bindAddress());
    connector.setPort(port);
    return connector;
  }

  /** A client context trusting the keystore's certificates. */
  static SSLContext clientContext(RecsysSettings.Http http) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(http));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS client context", e);
    }
  }

  private static KeyStore load(RecsysSettings.Http http) {
    Path path = Path.of(http.tlsKeystore());
    char[] password =
        http.tlsKeystorePassword() == null ? new char[0] : http.tlsKeystorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "recsys.http.tls.keystore.path "
              + path
              + ": cannot open it as a PKCS12 keystore with recsys.http.tls.keystore.password ("
              + e.getMessage()
              + ")",
          e);
    }
  }
}
