package dev.rsk.stats.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * One Lucene HNSW graph (in memory) over the int8 prefixes of the sketches of one parameter key. It only
 * proposes candidates: the caller re-ranks them with the stored vectors, so the graph may be coarse (a
 * prefix of m coordinates is a random projection of the sketch: its cosine is off by about 1/sqrt(m)).
 * Vectors are compared by Lucene's byte {@code COSINE}, which ignores each vector's int8 scale. An all-zero
 * prefix has no cosine and is not indexed. Public for the benchmark ({@code ./rsk bench-similar}).
 *
 * <p>Threads: one writer thread (the partition's indexer) calls {@link #upsert}, {@link #delete},
 * {@link #refresh}; searches from any thread see the state of the last {@link #refresh}. Merges run on the
 * writer thread ({@link SerialMergeScheduler}): the index starts no thread of its own.
 */
public final class SpecIndex implements AutoCloseable {

  static final String ID = "id";
  static final String TIME = "t";
  static final String SOURCE = "source";
  static final String MODULE = "module";
  static final String VECTOR = "v";

  /** A filter keeping at most this many times the candidates returns all it keeps (see {@link #candidates}). */
  public static final int EXACT_FILTER_FACTOR = 10;

  /**
   * The writer's RAM buffer while a graph is bulk loaded (the rebuild from the repository), so that a partition
   * flushes as one segment, one HNSW graph to search, instead of one per {@link HnswParams#ramBufferMb()} (Lucene
   * builds the graph while documents are buffered: a flush only writes it). A buffered sketch costs about 780
   * bytes at m = 256 (330 once flushed), so 256 MB hold about 330,000 sketches; a larger partition flushes
   * several segments, merged into one at the end of the load ({@link #finishBulkLoad}). The buffer grows with
   * the sketches loaded: it is a bound, not an allocation.
   */
  public static final double BULK_BUFFER_MB = 256;

  private final int dims;
  private final HnswParams params;
  private final IndexWriter writer;
  private final SearcherManager searchers;

  /** An empty index of {@code dims}-coordinate prefixes. */
  public SpecIndex(final HnswParams params, final int dims) {
    this(params, dims, false);
  }

  /**
   * An empty index of {@code dims}-coordinate prefixes; {@code bulk}: to be loaded at once (the rebuild) and then
   * {@link #finishBulkLoad finished}, with the larger {@link #BULK_BUFFER_MB} buffer until then.
   */
  public SpecIndex(final HnswParams params, final int dims, final boolean bulk) {
    this.dims = dims;
    this.params = params;
    try {
      final IndexWriterConfig cfg = new IndexWriterConfig()
          .setCodec(params.codec())
          .setRAMBufferSizeMB(bulk ? BULK_BUFFER_MB : params.ramBufferMb())
          .setMergeScheduler(new SerialMergeScheduler())
          .setMergePolicy(new FewSegmentsMergePolicy())
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      this.writer = new IndexWriter(new ByteBuffersDirectory(), cfg);
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The prefix length this index holds. */
  public int dims() {
    return dims;
  }

  /**
   * Adds or replaces the sketch of {@code id}; {@code prefix} holds its first {@link #dims()} int8 coordinates
   * (shorter: zero-padded). An all-zero prefix only removes the id.
   */
  public void upsert(final String id, final long eventTime, final String source, final List<String> modules,
      final byte[] prefix) {
    final byte[] v = prefix.length == dims ? prefix : java.util.Arrays.copyOf(prefix, dims);
    try {
      if (allZero(v)) {
        writer.deleteDocuments(new Term(ID, id));
        return;
      }
      final Document doc = new Document();
      doc.add(new StringField(ID, id, Field.Store.NO)); // for deletes and updates by id
      doc.add(new BinaryDocValuesField(ID, new BytesRef(id))); // read back per candidate: see #ids
      doc.add(new LongPoint(TIME, eventTime));
      doc.add(new StringField(SOURCE, source, Field.Store.NO));
      for (final String m : modules) {
        doc.add(new StringField(MODULE, m, Field.Store.NO));
      }
      doc.add(new KnnByteVectorField(VECTOR, v, VectorSimilarityFunction.COSINE));
      writer.updateDocument(new Term(ID, id), doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean allZero(final byte[] v) {
    for (final byte b : v) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Removes {@code id} if present. */
  public void delete(final String id) {
    try {
      writer.deleteDocuments(new Term(ID, id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every sketch with event time before {@code cutoffMs} (the repository's retention). */
  void deleteOlderThan(final long cutoffMs) {
    try {
      writer.deleteDocuments(LongPoint.newRangeQuery(TIME, Long.MIN_VALUE, cutoffMs - 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes every earlier write visible to searches. */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Ends a bulk load: makes it searchable as one segment (merging the load's segments if the buffer filled:
   * Lucene seeds the merged graph with the largest one's, so only the others are inserted again), then returns
   * to the ordinary buffer for the writes that follow.
   */
  public void finishBulkLoad() {
    refresh();
    if (segments() > 1) {
      optimize();
      refresh();
    }
    writer.getConfig().setRAMBufferSizeMB(params.ramBufferMb());
  }

  /**
   * Ids of about the {@code n} nearest prefixes to {@code query} (int8, {@link #dims()} long) passing
   * {@code filter}, in the state of the last {@link #refresh}, best first. {@code n} is also HNSW's beam. When
   * the filter keeps at most {@link #EXACT_FILTER_FACTOR} times {@code n} sketches, every one of them is
   * returned (unordered), so a restrictive filter is answered exactly after re-ranking.
   *
   * @throws AlreadyClosedException if the index was closed
   */
  public List<String> candidates(final byte[] query, final int n, final SimilarityFilter filter) {
    if (allZero(query)) {
      return List.of();
    }
    try {
      final IndexSearcher searcher = searchers.acquire();
      try {
        final Query only = LuceneQueries.filter(filter);
        final TopDocs top;
        if (only != null && searcher.count(only) <= EXACT_FILTER_FACTOR * n) {
          top = searcher.search(only, EXACT_FILTER_FACTOR * n);
        } else {
          top = searcher.search(new KnnByteVectorQuery(VECTOR, query, n, only), n);
        }
        return LuceneQueries.ids(searcher, top.scoreDocs);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sketches searchable (as of the last {@link #refresh}). */
  public int size() {
    try {
      final IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.getIndexReader().numDocs();
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lucene segments searchable (as of the last {@link #refresh}): each is one more HNSW graph per search. */
  public int segments() {
    try {
      final IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.getIndexReader().leaves().size();
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes held by the index's in-memory directory and writer buffer. */
  public long ramBytes() {
    long sum = writer.ramBytesUsed();
    try {
      for (final String file : writer.getDirectory().listAll()) {
        sum += writer.getDirectory().fileLength(file);
      }
    } catch (IOException | AlreadyClosedException e) {
      return -1; // a file merged away while listing: the figure is informational only
    }
    return sum;
  }

  /** Merges to one segment: one HNSW graph to search (used after a bulk build). */
  public void optimize() {
    try {
      writer.forceMerge(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The int8 form of the first {@code dims} coordinates of {@code v} (zero-padded), scaled to +-127. */
  public static byte[] quantize(final float[] v, final int dims) {
    final int m = Math.min(dims, v.length);
    float max = 0;
    for (int i = 0; i < m; i++) {
      max = Math.max(max, Math.abs(v[i]));
    }
    final byte[] out = new byte[dims];
    if (max == 0 || !Float.isFinite(max)) {
      return out;
    }
    for (int i = 0; i < m; i++) {
      out[i] = (byte) Math.max(-127, Math.min(127, Math.round(v[i] * 127f / max)));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.rollback();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
