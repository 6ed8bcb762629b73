package dev.rsk.api.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The {@code /internal/v1} routes instances gather through: paths (Javalin templates) and parameter
 * names, declared once for the server ({@link InternalEndpoints}) and the client ({@link InternalClient}).
 */
public final class InternalRoutes {

  private InternalRoutes() {}

  /** Header carrying the cluster secret on every call (when one is configured); client tokens never do. */
  public static final String SECRET_HEADER = "X-Rsk-Cluster-Secret";

  /** Path parameter: a module name. */
  public static final String MODULE = "module";
  /** Path parameter: an inference id. */
  public static final String ID = "id";

  public static final String CATALOGUE = "/internal/v1/catalogue";
  public static final String HOURLY = "/internal/v1/modules/{" + MODULE + "}/hourly";
  public static final String STATS = "/internal/v1/modules/{" + MODULE + "}/stats";
  /** The network store's entries of some partitions ({@link InternalDtos.Network}). */
  public static final String NETWORK = "/internal/v1/network";
  public static final String INFERENCE = "/internal/v1/inferences/{" + ID + "}";
  /** POST, body {@link InternalDtos.SimilarQuery}. */
  public static final String SIMILAR = "/internal/v1/similar";

  /** POST, body {@link GraphDtos.IndexedQuery}: similarity through the HNSW index, with filters. */
  public static final String SIMILAR_INDEXED = "/internal/v1/similar-indexed";

  /** POST, body {@link InternalDtos.QueryAsk}: a memory query's partial answer. */
  public static final String QUERY = "/internal/v1/query";

  /** Query parameter: comma-separated partitions to answer for. */
  public static final String PARTITIONS = "partitions";
  /** Query parameter: {@code true} when the partitions are standby copies. */
  public static final String STALE = "stale";
  /** Query parameter: the one partition holding a key. */
  public static final String PARTITION = "partition";
  /** Query parameters: epoch-ms bounds of the counts and sums. */
  public static final String FROM = "from";
  public static final String TO = "to";
  /** Query parameters: epoch-ms bounds of the attribute statistics (whole stats buckets). */
  public static final String STATS_FROM = "statsFrom";
  public static final String STATS_TO = "statsTo";

  /** {@code route} with its path parameter {@code {name}} replaced by the URL-encoded {@code value}. */
  public static String expand(final String route, final String name, final String value) {
    final String placeholder = "{" + name + "}";
    if (!route.contains(placeholder)) {
      throw new IllegalArgumentException(route + " has no path parameter " + placeholder);
    }
    return route.replace(placeholder, encode(value));
  }

  /** The value of {@link #PARTITIONS}: {@code 0,2,3}. */
  public static String partitions(final Collection<Integer> partitions) {
    return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** URL encoding of a path segment or parameter value (a space is %20, not +). */
  static String encode(final String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
