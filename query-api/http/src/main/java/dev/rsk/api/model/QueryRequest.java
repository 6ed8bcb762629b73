package dev.rsk.api.model;

import java.util.List;

/**
 * Body of {@code POST /v1/query} (system.md, "Memory queries"); every field optional.
 *
 * @param pathsFromSketches true: paths of two modules or more are read from the sketches alone; null or false:
 *     exact where the records' edges and sums tell (docs/queries.md)
 */
public record QueryRequest(String where, String from, String to, String bucket, String zone, List<String> select,
    Boolean pathsFromSketches) {

  /** A request that reads paths exactly where the records tell. */
  public QueryRequest(final String where, final String from, final String to, final String bucket,
      final String zone, final List<String> select) {
    this(where, from, to, bucket, zone, select, null);
  }

  /** Whether paths are read from the sketches alone. */
  public boolean fromSketches() {
    return Boolean.TRUE.equals(pathsFromSketches);
  }
}
