package dev.rsk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rsk.registry.RegistryUnavailableException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS settings given by Confluent's property names: a registry with a self-signed certificate. */
class HttpSchemaRegistryClientTlsTest {

  private static final String PASSWORD = "changeit";

  /** Test-only stores in src/test/resources/tls, made once (self-signed, 100 years) with:
   * {@code keytool -genkeypair -alias registry -keyalg EC -groupname secp256r1 -validity 36500 -dname CN=127.0.0.1
   * -ext SAN=ip:127.0.0.1 -storetype PKCS12 -keystore registry-server.p12 -storepass changeit}, then
   * {@code -exportcert} and {@code -importcert} into {@code registry-trust.p12}. */
  private static final Path TLS = Path.of("src/test/resources/tls");
  private static HttpsServer server;
  private static String url;

  @BeforeAll
  static void startHttpsRegistry() throws Exception {
    final Path serverStore = TLS.resolve("registry-server.p12");
    final KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    final SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext("/", exchange -> {
      final byte[] body = "{\"schema\":\"\\\"string\\\"\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    url = "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void trustsTheRegistryThroughTheConfiguredTruststore() {
    final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(Map.of(
        RegistryClientConfig.URL, url,
        RegistryClientConfig.TRUSTSTORE_LOCATION, TLS.resolve("registry-trust.p12").toString(),
        RegistryClientConfig.TRUSTSTORE_PASSWORD, PASSWORD,
        RegistryClientConfig.TRUSTSTORE_TYPE, "PKCS12"));

    assertThat(client.byId(1).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
  }

  @Test
  void refusesAnUntrustedCertificate() {
    final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url,
        "max.retries", 0));

    assertThatThrownBy(() -> client.byId(1)).isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("SSLHandshakeException");
  }

  @Test
  void aMissingTruststoreIsAConfigError() {
    assertThatThrownBy(() -> new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url,
        RegistryClientConfig.TRUSTSTORE_LOCATION, TLS.resolve("nope.p12").toString())))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class).hasMessageContaining("TLS");
  }
}
