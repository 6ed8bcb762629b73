package dev.rsk.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * The registry-client settings, read from the same property names as Confluent's serdes. Each key may
 * also be given with a {@code schema.registry.} prefix (which wins), as Confluent allows.
 */
public record RegistryClientConfig(
    List<URI> urls,
    Optional<String> userInfo,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration retryWait,
    Duration maxRetryWait,
    int cacheCapacity,
    Optional<String> truststoreLocation,
    Optional<String> truststorePassword,
    String truststoreType,
    Optional<String> keystoreLocation,
    Optional<String> keystorePassword,
    String keystoreType,
    Optional<String> keyPassword) {

  public static final String URL = "schema.registry.url";
  public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String USER_INFO = "basic.auth.user.info";
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String CACHE_CAPACITY = "max.schemas.per.subject";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_READ_TIMEOUT_MS = 15_000;
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final int DEFAULT_RETRIES_WAIT_MS = 200;
  public static final int DEFAULT_RETRIES_MAX_WAIT_MS = 5_000;
  public static final int DEFAULT_CACHE_CAPACITY = 1_000;

  private static final String PREFIX = "schema.registry.";

  /** Reads the settings; {@link ConfigException} naming the key for a missing url or a bad value. */
  public static RegistryClientConfig from(final Map<String, ?> config) {
    final String urlList = string(config, URL).orElseThrow(() ->
        new ConfigException("Missing required configuration \"" + URL + "\" (the schema registry URL, "
            + "e.g. http://localhost:8081; several may be given separated by commas)"));
    final List<URI> urls = new ArrayList<>();
    for (final String u : urlList.split(",")) {
      if (!u.isBlank()) {
        final URI uri;
        try {
          uri = URI.create(u.trim().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(URL, u, "not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new ConfigException(URL, u, "must be an http:// or https:// URL");
        }
        urls.add(uri);
      }
    }
    if (urls.isEmpty()) {
      throw new ConfigException(URL, urlList, "no URL given");
    }
    final String source = string(config, CREDENTIALS_SOURCE).orElse("URL").toUpperCase(java.util.Locale.ROOT);
    final Optional<String> userInfo = switch (source) {
      case "USER_INFO" -> Optional.of(string(config, USER_INFO).orElseThrow(() -> new ConfigException(
          CREDENTIALS_SOURCE + "=USER_INFO needs \"" + USER_INFO + "\" (user:password)")));
      case "URL" -> Optional.ofNullable(urls.get(0).getRawUserInfo())
          .map(s -> java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8));
      default -> throw new ConfigException(CREDENTIALS_SOURCE, source, "supported sources are USER_INFO and URL");
    };
    // Credentials never go on the wire as part of the URL.
    final List<URI> plain = urls.stream().map(RegistryClientConfig::withoutUserInfo).toList();
    return new RegistryClientConfig(
        plain,
        userInfo,
        Duration.ofMillis(positive(config, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS)),
        Duration.ofMillis(positive(config, READ_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS)),
        nonNegative(config, MAX_RETRIES, DEFAULT_MAX_RETRIES),
        Duration.ofMillis(nonNegative(config, RETRIES_WAIT_MS, DEFAULT_RETRIES_WAIT_MS)),
        Duration.ofMillis(nonNegative(config, RETRIES_MAX_WAIT_MS, DEFAULT_RETRIES_MAX_WAIT_MS)),
        positive(config, CACHE_CAPACITY, DEFAULT_CACHE_CAPACITY),
        string(config, TRUSTSTORE_LOCATION),
        string(config, TRUSTSTORE_PASSWORD),
        string(config, TRUSTSTORE_TYPE).orElse("JKS"),
        string(config, KEYSTORE_LOCATION),
        string(config, KEYSTORE_PASSWORD),
        string(config, KEYSTORE_TYPE).orElse("JKS"),
        string(config, KEY_PASSWORD));
  }

  private static URI withoutUserInfo(final URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
  }

  private static Optional<String> string(final Map<String, ?> config, final String key) {
    Object value = null;
    if (!key.startsWith(PREFIX)) {
      value = config.get(PREFIX + key);
    }
    if (value == null) {
      value = config.get(key);
    }
    if (value instanceof org.apache.kafka.common.config.types.Password p) {
      value = p.value();
    }
    return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString().trim());
  }

  private static int positive(final Map<String, ?> config, final String key, final int dflt) {
    final int v = integer(config, key, dflt);
    if (v <= 0) {
      throw new ConfigException(key, v, "must be > 0");
    }
    return v;
  }

  private static int nonNegative(final Map<String, ?> config, final String key, final int dflt) {
    final int v = integer(config, key, dflt);
    if (v < 0) {
      throw new ConfigException(key, v, "must be >= 0");
    }
    return v;
  }

  private static int integer(final Map<String, ?> config, final String key, final int dflt) {
    final Optional<String> s = string(config, key);
    if (s.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(s.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, s.get(), "not an integer");
    }
  }

  /** The first URL, for messages. */
  public String describeUrls() {
    return urls.size() == 1 ? urls.get(0).toString() : urls.toString();
  }
}
