package dev.rsk.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;

/**
 * A Confluent Schema Registry REST client on {@code java.net.http}, configured with Confluent's property
 * names (see {@link RegistryClientConfig}).
 *
 * <p>Ids and registrations are cached (ids are immutable in a registry); {@link #latest} is never cached.
 * Every request has a connect and a request timeout; connection failures, timeouts and HTTP 408/429/5xx
 * are retried at most {@code max.retries} times with exponential backoff, rotating over the configured
 * URLs, then surface as {@link RegistryUnavailableException}. Error answers (4xx) are not retried.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Set<Integer> RETRIABLE = Set.of(408, 429, 500, 502, 503, 504);

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Optional<String> authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

  public HttpSchemaRegistryClient(final Map<String, ?> properties) {
    this(RegistryClientConfig.from(properties));
  }

  public HttpSchemaRegistryClient(final RegistryClientConfig config) {
    this.config = config;
    final HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.truststoreLocation().isPresent() || config.keystoreLocation().isPresent()) {
      builder.sslContext(sslContext(config));
    }
    this.http = builder.build();
    this.authorization = config.userInfo().map(u ->
        "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
  }

  /** Convenience: a client for one plain URL with default settings. */
  public static HttpSchemaRegistryClient forUrl(final String url) {
    return new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url));
  }

  @Override
  public int register(final String subject, final Schema schema) {
    final String key = subject + '\u0000' + schema;
    final Integer cached = idsBySubjectAndSchema.get(key);
    if (cached != null) {
      return cached;
    }
    final JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema), false);
    final int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(200, 50001, "Registry answer to a registration has no id: " + answer);
    }
    cache(key, id, schema);
    return id;
  }

  @Override
  public Schema byId(final int id) {
    final Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    final JsonNode answer = send("GET", "/schemas/ids/" + id, null, true);
    final String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
          "Schema id " + id + " is a " + type + " schema, not AVRO");
    }
    final Schema schema = parse(answer.path("schema").asText());
    if (schemasById.size() < config.cacheCapacity() * 16) {
      schemasById.put(id, schema);
    }
    return schema;
  }

  @Override
  public RegisteredSchema latest(final String subject) {
    return registered(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null, false));
  }

  @Override
  public RegisteredSchema lookup(final String subject, final Schema schema) {
    final String key = subject + '\u0000' + schema;
    final RegisteredSchema found = registered(send("POST", "/subjects/" + encode(subject), schemaBody(schema), false));
    cache(key, found.id(), found.schema());
    return found;
  }

  /** The configured URL(s), for messages. */
  public String url() {
    return config.describeUrls();
  }

  private void cache(final String key, final int id, final Schema schema) {
    if (idsBySubjectAndSchema.size() < config.cacheCapacity() * 16) {
      idsBySubjectAndSchema.put(key, id);
      schemasById.putIfAbsent(id, schema);
    }
  }

  private RegisteredSchema registered(final JsonNode answer) {
    return new RegisteredSchema(answer.path("subject").asText(), answer.path("id").asInt(),
        answer.path("version").asInt(), parse(answer.path("schema").asText()));
  }

  private String schemaBody(final Schema schema) {
    return json.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static Schema parse(final String text) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
          "Registry returned a schema that does not parse: " + e.getMessage());
    }
  }

  private static String encode(final String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Sends one request with the bounded retry policy; the parsed JSON body of a 2xx answer. */
  private JsonNode send(final String method, final String path, final String body, final boolean idLookup) {
    final int attempts = config.maxRetries() + 1;
    Exception last = null;
    String lastProblem = "";
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        sleepBackoff(attempt);
      }
      final URI base = config.urls().get(attempt % config.urls().size());
      final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(config.requestTimeout())
          .header("Accept", CONTENT_TYPE + ", application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE);
      }
      authorization.ifPresent(a -> request.header("Authorization", a));
      final HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        last = e;
        lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("Interrupted while calling the schema registry at " + base, e);
      }
      final int status = response.statusCode();
      if (status / 100 == 2) {
        return readJson(response.body(), status, base);
      }
      if (RETRIABLE.contains(status)) {
        lastProblem = "HTTP " + status + " " + abbreviate(response.body());
        last = null;
        continue;
      }
      throw error(status, response.body(), base, idLookup, path);
    }
    throw new RegistryUnavailableException("Schema registry at " + config.describeUrls() + " unavailable after "
        + attempts + " attempt(s) (" + method + " " + path + "): " + lastProblem, last);
  }

  private RuntimeException error(final int status, final String body, final URI base, final boolean idLookup,
      final String path) {
    int code = status;
    String message = abbreviate(body);
    try {
      final JsonNode node = json.readTree(body);
      code = node.path("error_code").asInt(status);
      message = node.path("message").asText(message);
    } catch (IOException | RuntimeException e) {
      // Not a Confluent error body (a proxy's HTML page, say): keep the raw text.
    }
    if (idLookup && code == SchemaRegistryException.SCHEMA_NOT_FOUND) {
      return new UnknownSchemaIdException(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)), base.toString());
    }
    if (status == 401 || status == 403) {
      return new SchemaRegistryException(status, code, "Schema registry at " + base
          + " refused the credentials (check basic.auth.credentials.source / basic.auth.user.info): " + message);
    }
    return new SchemaRegistryException(status, code, message);
  }

  private JsonNode readJson(final String body, final int status, final URI base) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(status, 50001, "Schema registry at " + base
          + " answered with a body that is not JSON: " + abbreviate(body));
    }
  }

  private void sleepBackoff(final int attempt) {
    final long wait = Math.min(config.maxRetryWait().toMillis(),
        config.retryWait().toMillis() * (1L << Math.min(attempt - 1, 20)));
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("Interrupted while waiting to retry the schema registry", e);
    }
  }

  private static String abbreviate(final String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  private static SSLContext sslContext(final RegistryClientConfig config) {
    try {
      TrustManagerFactory tmf = null;
      if (config.truststoreLocation().isPresent()) {
        final KeyStore trust = load(config.truststoreLocation().get(), config.truststoreType(),
            config.truststorePassword().orElse(null));
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (config.keystoreLocation().isPresent()) {
        final KeyStore keys = load(config.keystoreLocation().get(), config.keystoreType(),
            config.keystorePassword().orElse(null));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, config.keyPassword().or(config::keystorePassword).map(String::toCharArray).orElse(null));
      }
      final SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("Cannot set up TLS for the schema registry client: " + e.getMessage());
    }
  }

  private static KeyStore load(final String location, final String type, final String password)
      throws IOException, GeneralSecurityException {
    final KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      store.load(in, password == null ? null : password.toCharArray());
    }
    return store;
  }
}
