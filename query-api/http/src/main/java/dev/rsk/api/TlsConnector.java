package dev.rsk.api;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS connector of the listener (Jetty): the keystore of {@link HttpSecurity#keystore()}, TLS 1.2+
 * (Jetty's default exclusions of weak protocols and ciphers), HTTP/1.1. It replaces the plain connector:
 * with TLS on, the port speaks HTTPS only. The SNI host check is off so that a certificate need not name
 * the host a client used (clients still verify the certificate against their trust store).
 */
final class TlsConnector {

  private TlsConnector() {}

  static Connector create(final Server server, final HttpConfiguration http, final HttpSecurity.Store keystore,
      final String host, final int port) {
    final SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keystore.load());
    ssl.setKeyStorePassword(new String(keystore.password()));
    final HttpConfiguration https = new HttpConfiguration(http);
    final SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    final ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
