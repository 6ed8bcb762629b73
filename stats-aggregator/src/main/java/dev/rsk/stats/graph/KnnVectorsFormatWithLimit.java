package dev.rsk.stats.graph;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW format with a higher dimension limit (sketches may have d up to 16384; Lucene's
 * default limit is 1024, a guard against accidental huge vectors, not a format limit). It keeps the
 * delegate's SPI name, so segments read back with the stock reader.
 */
final class KnnVectorsFormatWithLimit extends KnnVectorsFormat {

  private final KnnVectorsFormat delegate;
  private final int maxDimensions;

  KnnVectorsFormatWithLimit(final KnnVectorsFormat delegate, final int maxDimensions) {
    super(delegate.getName());
    this.delegate = delegate;
    this.maxDimensions = maxDimensions;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(final SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(final SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(final String fieldName) {
    return maxDimensions;
  }
}
