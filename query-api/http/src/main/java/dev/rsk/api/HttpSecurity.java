package dev.rsk.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Who may call the HTTP listener and how it is reached (docs/api.md "Access"):
 *
 * @param tokens bearer tokens accepted on {@code /v1} routes; empty = no authentication
 * @param clusterSecret the secret instances send each other on {@code /internal} routes (header
 *     {@link dev.rsk.api.internal.InternalRoutes#SECRET_HEADER}); null = those routes are open. Required when
 *     {@code tokens} is not empty, and never one of the tokens, so no client token reaches them.
 * @param keystore the TLS keystore of the listener; null = plain HTTP
 * @param truststore what this instance trusts when it calls another instance over TLS; null = the JDK's
 *     default trust store
 */
public record HttpSecurity(List<String> tokens, String clusterSecret, Store keystore, Store truststore) {

  /** A key or trust store file, its password and type (PKCS12, JKS). */
  public record Store(Path path, char[] password, String type) {

    /** The store, read from its file; IllegalArgumentException if it cannot be read or opened. */
    public KeyStore load() {
      try (InputStream in = Files.newInputStream(path)) {
        final KeyStore ks = KeyStore.getInstance(type);
        ks.load(in, password);
        return ks;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot read " + type + " store " + path + ": " + e.getMessage(), e);
      }
    }
  }

  public HttpSecurity {
    tokens = List.copyOf(tokens);
    if (!tokens.isEmpty() && (clusterSecret == null || clusterSecret.isEmpty())) {
      throw new IllegalArgumentException("a cluster secret (rsk.cluster.secret) is required when API tokens are "
          + "set: it guards the /internal routes, which client tokens must not reach");
    }
    if (clusterSecret != null && tokens.contains(clusterSecret)) {
      throw new IllegalArgumentException("the cluster secret must not be one of the API tokens");
    }
    for (final String t : tokens) {
      if (t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new IllegalArgumentException("an API token must be non-empty printable ASCII without spaces");
      }
    }
  }

  /** No authentication, plain HTTP. */
  public static HttpSecurity none() {
    return new HttpSecurity(List.of(), null, null, null);
  }

  public boolean tls() {
    return keystore != null;
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return tls() ? "https" : "http";
  }

  /** The SSL context of calls to other instances: trusting {@link #truststore}, else the JDK default. */
  public SSLContext clientSslContext() {
    try {
      if (truststore == null) {
        return SSLContext.getDefault();
      }
      final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(truststore.load());
      final SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot build the TLS client context: " + e.getMessage(), e);
    }
  }

  /**
   * The tokens of a comma-separated list and of a file (one per line; blank lines and lines starting with
   * {@code #} ignored), either may be null. Read once, at start.
   */
  public static List<String> tokens(final String commaSeparated, final Path file) {
    final List<String> out = new ArrayList<>();
    if (commaSeparated != null) {
      for (final String t : commaSeparated.split(",")) {
        if (!t.isBlank()) {
          out.add(t.trim());
        }
      }
    }
    if (file != null) {
      try {
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank() && !line.trim().startsWith("#")) {
            out.add(line.trim());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the API tokens file " + file, e);
      }
    }
    return out;
  }
}
