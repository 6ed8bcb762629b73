package dev.rsk.stats.graph;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * The knobs of the HNSW index. {@code maxConn} (M) and {@code beamWidth} (efConstruction) trade build
 * time and memory for recall; {@code numCandidates} (efSearch, and the candidates re-ranked exactly) trades
 * query time for recall. Defaults in {@link IndexSettings#DEFAULT_HNSW} (measured in docs/graph.md).
 */
public record HnswParams(int maxConn, int beamWidth, int numCandidates, double ramBufferMb) {

  /** Largest sketch dimension indexed; Lucene's own default limit is 1024. */
  public static final int MAX_DIMENSIONS = 16_384;

  public HnswParams {
    if (maxConn < 2 || beamWidth < 2 || numCandidates < 1 || ramBufferMb <= 0) {
      throw new IllegalArgumentException("HNSW parameters out of range");
    }
  }

  /** The default codec with this HNSW format for every vector field and a raised dimension limit. */
  Codec codec() {
    final KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(maxConn, beamWidth);
    final KnnVectorsFormat wide = new KnnVectorsFormatWithLimit(hnsw, MAX_DIMENSIONS);
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(final String field) {
        return wide;
      }
    };
  }
}
