package dev.rsk.stats.query;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.query.lang.QueryRecord;
import dev.rsk.stats.serde.RepositoryView;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A stored repository record ({@link dev.rsk.stats.serde.RepositoryCodec}) seen as a {@link QueryRecord},
 * reused for every record of a scan ({@link #reset}): it reads the bytes through a {@link RepositoryView},
 * so exact terms never decode the int8 vector and allocate nothing per record; the vector is decoded only
 * for a decoded path term, and summed straight from its bytes for a decoded select item. Records of complete
 * inferences from a current processor carry their edges, and paths are answered from them; others leave
 * paths to the (int8, possibly aged) sketch. Attribute sums are exact where the producer sent them. Not
 * thread-safe: one per scan.
 */
final class StoredQueryRecord implements QueryRecord {

  private final RepositoryView view = new RepositoryView();
  private final Map<String, byte[]> utf8 = new HashMap<>();
  private String inferenceId;

  /** This record, now the stored {@code bytes} of {@code inferenceId}. */
  StoredQueryRecord reset(final String inferenceId, final byte[] bytes) {
    this.inferenceId = inferenceId;
    view.reset(bytes);
    return this;
  }

  @Override
  public String inferenceId() {
    return inferenceId;
  }

  @Override
  public long eventTime() {
    return view.eventTime();
  }

  @Override
  public String source() {
    return view.source();
  }

  @Override
  public boolean sourceIs(final String source) {
    return view.sourceIs(bytes(source));
  }

  @Override
  public int count(final String module) {
    return view.count(bytes(module));
  }

  @Override
  public double attributeSum(final String module, final int index) {
    return view.attributeSum(bytes(module), index);
  }

  @Override
  public boolean hasEdges() {
    return view.hasEdges();
  }

  @Override
  public boolean edge(final String parent, final String input) {
    return view.edge(bytes(parent), bytes(input));
  }

  @Override
  public Set<String> parents(final String input) {
    return view.parents(bytes(input));
  }

  @Override
  public Sketch sketch() {
    return view.sketch();
  }

  @Override
  public SketchSpec spec() {
    return view.spec();
  }

  @Override
  public int vectorLength() {
    return view.vectorLength();
  }

  @Override
  public void addVectorTo(final float[] acc) {
    view.addVectorTo(acc);
  }

  /** The UTF-8 bytes of a module name or source of the query (a handful per query, kept for the scan). */
  private byte[] bytes(final String s) {
    return utf8.computeIfAbsent(s, k -> k.getBytes(StandardCharsets.UTF_8));
  }
}
