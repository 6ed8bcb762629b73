package dev.rsk.stats.query;

import dev.rsk.sketch.ModuleEdge;
import dev.rsk.sketch.Sketch;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.query.lang.QueryRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * A repository record ({@link dev.rsk.stats.serde.RepositoryCodec}) seen as a {@link QueryRecord}. Records of
 * complete inferences from a current processor carry their edges, and paths are answered from them; others
 * leave paths to the (int8, possibly aged) sketch. Attribute sums are exact where the producer sent them.
 */
final class StoredQueryRecord implements QueryRecord {

  private final String inferenceId;
  private final RepositoryRecord r;
  private Set<String> edges;

  StoredQueryRecord(final String inferenceId, final RepositoryRecord r) {
    this.inferenceId = inferenceId;
    this.r = r;
  }

  @Override
  public String inferenceId() {
    return inferenceId;
  }

  @Override
  public long eventTime() {
    return r.eventTime();
  }

  @Override
  public String source() {
    return r.source();
  }

  @Override
  public int count(final String module) {
    final Integer n = r.moduleCounts().get(module);
    return n == null ? 0 : n;
  }

  @Override
  public double attributeSum(final String module, final int index) {
    final double[] sums = r.attributeSums().get(module);
    return sums == null || index >= sums.length ? Double.NaN : sums[index];
  }

  @Override
  public boolean hasEdges() {
    return !r.edges().isEmpty();
  }

  @Override
  public boolean edge(final String parent, final String input) {
    if (edges == null) {
      edges = new HashSet<>();
      for (final ModuleEdge e : r.edges()) {
        if (e.count() > 0) {
          edges.add(e.module() + '\u0000' + e.input());
        }
      }
    }
    return edges.contains(parent + '\u0000' + input);
  }

  @Override
  public Sketch sketch() {
    return r.sketch();
  }
}
