package dev.rsk.api.internal;

import static dev.rsk.api.internal.InternalRoutes.FROM;
import static dev.rsk.api.internal.InternalRoutes.PARTITION;
import static dev.rsk.api.internal.InternalRoutes.PARTITIONS;
import static dev.rsk.api.internal.InternalRoutes.STALE;
import static dev.rsk.api.internal.InternalRoutes.STATS_FROM;
import static dev.rsk.api.internal.InternalRoutes.STATS_TO;
import static dev.rsk.api.internal.InternalRoutes.TO;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.cluster.ClusterException;
import dev.rsk.api.cluster.MetadataService;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.stats.query.lang.QueryPartial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Calls the {@code /internal/v1} routes of another instance ({@code java.net.http}), one method per
 * route, with the paths and parameters of {@link InternalRoutes}. Every call is bounded by the connect
 * and request timeout. Failures are {@link ClusterException}s: {@link ClusterException.Kind#NOT_FOUND}
 * when the instance answers 404 (with its detail), {@link ClusterException.Kind#REMOTE_ERROR} when it is
 * unreachable, times out, answers another error or an unreadable body. Thread-safe.
 */
public final class InternalClient {

  /**
   * How instances reach each other: {@code http} or {@code https} (then {@code ssl} trusts their
   * certificates), and the cluster secret sent in {@link InternalRoutes#SECRET_HEADER} (null = none).
   */
  public record Transport(String scheme, SSLContext ssl, String secret) {
    /** Plain HTTP, no secret. */
    public static Transport plain() {
      return new Transport("http", null, null);
    }
  }

  private final ObjectMapper mapper;
  private final Duration timeout;
  private final Transport transport;
  private final HttpClient http;

  public InternalClient(final ObjectMapper mapper, final Duration timeout) {
    this(mapper, timeout, Transport.plain());
  }

  public InternalClient(final ObjectMapper mapper, final Duration timeout, final Transport transport) {
    this.mapper = mapper;
    this.timeout = timeout;
    this.transport = transport;
    final HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
    if (transport.ssl() != null) {
      b.sslContext(transport.ssl());
    }
    this.http = b.build();
  }

  /** The instance at {@code host}, seen through this client. */
  public InternalApi at(final HostInfo host) {
    return new Remote(host);
  }

  public InternalDtos.Catalogue catalogue(final HostInfo host, final Collection<Integer> partitions,
      final boolean stale) {
    return get(host, InternalRoutes.CATALOGUE
        + query(PARTITIONS, InternalRoutes.partitions(partitions), STALE, stale), InternalDtos.Catalogue.class);
  }

  public InternalDtos.Network network(final HostInfo host, final Collection<Integer> partitions,
      final boolean stale) {
    return get(host, InternalRoutes.NETWORK
        + query(PARTITIONS, InternalRoutes.partitions(partitions), STALE, stale), InternalDtos.Network.class);
  }

  public InternalDtos.Hourly hourly(final HostInfo host, final String module, final long from, final long to,
      final Collection<Integer> partitions, final boolean stale) {
    return get(host, InternalRoutes.expand(InternalRoutes.HOURLY, InternalRoutes.MODULE, module)
        + query(FROM, from, TO, to, PARTITIONS, InternalRoutes.partitions(partitions), STALE, stale),
        InternalDtos.Hourly.class);
  }

  public InternalDtos.ModuleStats stats(final HostInfo host, final String module, final long from, final long to,
      final long statsFrom, final long statsTo, final Collection<Integer> partitions, final boolean stale) {
    return get(host, InternalRoutes.expand(InternalRoutes.STATS, InternalRoutes.MODULE, module)
        + query(FROM, from, TO, to, STATS_FROM, statsFrom, STATS_TO, statsTo,
            PARTITIONS, InternalRoutes.partitions(partitions), STALE, stale), InternalDtos.ModuleStats.class);
  }

  /** The stored sketch; {@link ClusterException.Kind#NOT_FOUND} if the instance has none. */
  public StoredSketch sketch(final HostInfo host, final String inferenceId, final int partition,
      final boolean stale) {
    return get(host, InternalRoutes.expand(InternalRoutes.INFERENCE, InternalRoutes.ID, inferenceId)
        + query(PARTITION, partition, STALE, stale), StoredSketch.class);
  }

  public InternalDtos.SimilarAnswer similar(final HostInfo host, final InternalDtos.SimilarQuery query) {
    return post(host, InternalRoutes.SIMILAR, query, InternalDtos.SimilarAnswer.class);
  }

  public GraphDtos.IndexedAnswer similarIndexed(final HostInfo host, final GraphDtos.IndexedQuery query) {
    return post(host, InternalRoutes.SIMILAR_INDEXED, query, GraphDtos.IndexedAnswer.class);
  }

  public QueryPartial query(final HostInfo host, final InternalDtos.QueryAsk ask) {
    return post(host, InternalRoutes.QUERY, ask, QueryPartial.class);
  }

  /** {@code ?name=value&...} from alternating names and values, values URL-encoded. */
  private static String query(final Object... namesAndValues) {
    final StringJoiner q = new StringJoiner("&", "?", "");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      q.add(namesAndValues[i] + "=" + InternalRoutes.encode(String.valueOf(namesAndValues[i + 1])));
    }
    return q.toString();
  }

  private <T> T get(final HostInfo host, final String pathAndQuery, final Class<T> type) {
    return send(host, HttpRequest.newBuilder(uri(host, pathAndQuery)).GET(), type);
  }

  private <T> T post(final HostInfo host, final String path, final Object body, final Class<T> type) {
    final byte[] json;
    try {
      json = mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode request body", e);
    }
    return send(host, HttpRequest.newBuilder(uri(host, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)), type);
  }

  private URI uri(final HostInfo host, final String pathAndQuery) {
    return URI.create(transport.scheme() + "://" + host.host() + ":" + host.port() + pathAndQuery);
  }

  private <T> T send(final HostInfo host, final HttpRequest.Builder request, final Class<T> type) {
    final String name = MetadataService.name(host);
    final HttpResponse<byte[]> response;
    if (transport.secret() != null) {
      request.header(InternalRoutes.SECRET_HEADER, transport.secret());
    }
    try {
      response = http.send(request.timeout(timeout).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw ClusterException.remote("instance " + name + " unreachable: " + e, -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ClusterException.remote("interrupted calling " + name, -1, e);
    }
    if (response.statusCode() == 404) {
      throw ClusterException.notFound(detail(response.body(), "not found on " + name));
    }
    if (response.statusCode() != 200) {
      throw ClusterException.remote("instance " + name + " answered " + response.statusCode() + ": "
          + detail(response.body(), ""), response.statusCode(), null);
    }
    try {
      return mapper.readValue(response.body(), type);
    } catch (IOException e) {
      throw ClusterException.remote("instance " + name + " sent an unreadable answer: " + e, 200, e);
    }
  }

  /** The {@code detail} of a problem+json body, or {@code fallback}. */
  private String detail(final byte[] body, final String fallback) {
    try {
      final var node = mapper.readTree(body);
      return node != null && node.has("detail") ? node.get("detail").asText() : fallback;
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }

  /** One instance, as an {@link InternalApi}. */
  private final class Remote implements InternalApi {

    private final HostInfo host;

    Remote(final HostInfo host) {
      this.host = host;
    }

    @Override
    public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
      return InternalClient.this.catalogue(host, partitions, stale);
    }

    @Override
    public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
      return InternalClient.this.network(host, partitions, stale);
    }

    @Override
    public InternalDtos.Hourly hourly(final String module, final long from, final long to,
        final Collection<Integer> partitions, final boolean stale) {
      return InternalClient.this.hourly(host, module, from, to, partitions, stale);
    }

    @Override
    public InternalDtos.ModuleStats stats(final String module, final long from, final long to,
        final long statsFrom, final long statsTo, final Collection<Integer> partitions, final boolean stale) {
      return InternalClient.this.stats(host, module, from, to, statsFrom, statsTo, partitions, stale);
    }

    @Override
    public StoredSketch sketch(final String inferenceId, final int partition, final boolean stale) {
      return InternalClient.this.sketch(host, inferenceId, partition, stale);
    }

    @Override
    public InternalDtos.SimilarAnswer similar(final InternalDtos.SimilarQuery query) {
      return InternalClient.this.similar(host, query);
    }

    @Override
    public GraphDtos.IndexedAnswer similarIndexed(final GraphDtos.IndexedQuery query) {
      return InternalClient.this.similarIndexed(host, query);
    }

    @Override
    public QueryPartial query(final InternalDtos.QueryAsk ask) {
      return InternalClient.this.query(host, ask);
    }
  }
}
