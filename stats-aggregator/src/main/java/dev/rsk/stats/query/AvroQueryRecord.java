package dev.rsk.stats.query;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.Sketch;
import dev.rsk.stats.query.lang.QueryRecord;
import java.util.List;

/**
 * A stored Avro {@link InferenceSketch} seen as a {@link QueryRecord}. It carries no edges (paths are
 * decoded from the sketch); the sketch is built on first use only.
 */
final class AvroQueryRecord implements QueryRecord {

  private final InferenceSketch s;
  private Sketch sketch;

  AvroQueryRecord(final InferenceSketch s) {
    this.s = s;
  }

  @Override
  public String inferenceId() {
    return s.getInferenceId();
  }

  @Override
  public long eventTime() {
    return s.getEventTime().toEpochMilli();
  }

  @Override
  public String source() {
    return s.getSource();
  }

  @Override
  public int count(final String module) {
    final Integer n = s.getModuleCounts().get(module);
    return n == null ? 0 : n;
  }

  @Override
  public double attributeSum(final String module, final int index) {
    final List<Double> sums = s.getAttributeSums().get(module);
    return sums == null || index >= sums.size() ? Double.NaN : sums.get(index);
  }

  @Override
  public boolean hasEdges() {
    return false;
  }

  @Override
  public boolean edge(final String parent, final String input) {
    throw new UnsupportedOperationException("the Avro repository carries no edges");
  }

  @Override
  public Sketch sketch() {
    if (sketch == null) {
      sketch = new Sketch(SketchMapper.spec(s.getParams()), SketchMapper.vector(s));
    }
    return sketch;
  }
}
