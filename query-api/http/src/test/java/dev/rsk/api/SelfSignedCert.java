package dev.rsk.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} / {@code 127.0.0.1}, made by the JDK's keytool: a PKCS12
 * keystore (key + certificate) and a PKCS12 trust store holding only the certificate.
 */
record SelfSignedCert(Path keystore, Path truststore, String password) {

  static SelfSignedCert create(final Path dir) throws IOException, InterruptedException {
    final String pw = "test-store-pw";
    final Path ks = dir.resolve("server.p12");
    final Path cert = dir.resolve("server.crt");
    final Path ts = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "rsk", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", pw, "-keypass", pw);
    keytool("-exportcert", "-alias", "rsk", "-keystore", ks.toString(), "-storepass", pw, "-rfc",
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "rsk", "-file", cert.toString(), "-storetype", "PKCS12",
        "-keystore", ts.toString(), "-storepass", pw);
    return new SelfSignedCert(ks, ts, pw);
  }

  /** A client context trusting only this certificate. */
  SSLContext clientContext() throws Exception {
    final KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(truststore)) {
      trust.load(in, password.toCharArray());
    }
    final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    final SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static void keytool(final String... args) throws IOException, InterruptedException {
    final List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
