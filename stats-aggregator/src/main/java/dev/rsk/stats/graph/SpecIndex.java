package dev.rsk.stats.graph;

import dev.rsk.sketch.Sketches;
import dev.rsk.stats.query.SimilarMatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * One Lucene HNSW index (in memory) over the sketches of one parameter key. Vectors are normalised to
 * unit length and compared by dot product, which is their cosine (Lucene's recommended form of cosine).
 * Zero vectors have no cosine and are not indexed. Public for the benchmark ({@code ./rsk bench-similar}). Writes come from the stream thread, searches from
 * HTTP threads; IndexWriter and SearcherManager are thread-safe, and a search first makes every
 * earlier write visible (near-real-time reopen), so an acknowledged record is searchable.
 *
 * <p>Accuracy: HNSW is approximate; recall@10 against the exact scan is measured by
 * {@code ./rsk bench-similar} (docs/graph.md). Cosines of returned hits are exact up to float rounding
 * (about 1e-7), recovered from Lucene's score {@code (1 + cos) / 2}.
 */
public final class SpecIndex implements AutoCloseable {

  static final String ID = "id";
  static final String TIME = "t";
  static final String SOURCE = "source";
  static final String MODULE = "module";
  static final String VECTOR = "v";

  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final AtomicBoolean dirty = new AtomicBoolean(false);

  public SpecIndex(final HnswParams params) {
    try {
      final IndexWriterConfig cfg = new IndexWriterConfig()
          .setCodec(params.codec())
          .setRAMBufferSizeMB(params.ramBufferMb())
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      this.writer = new IndexWriter(new ByteBuffersDirectory(), cfg);
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds or replaces the entry of its inference id (zero vectors are only removed). */
  public void upsert(final IndexEntry e) {
    try {
      final double norm = Sketches.norm(e.vector());
      if (norm == 0) {
        writer.deleteDocuments(new Term(ID, e.inferenceId()));
      } else {
        writer.updateDocument(new Term(ID, e.inferenceId()), document(e, norm));
      }
      dirty.set(true);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public void delete(final String inferenceId) {
    try {
      writer.deleteDocuments(new Term(ID, inferenceId));
      dirty.set(true);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static Document document(final IndexEntry e, final double norm) {
    final float[] unit = new float[e.vector().length];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = (float) (e.vector()[i] / norm);
    }
    final Document doc = new Document();
    doc.add(new StringField(ID, e.inferenceId(), Field.Store.YES));
    doc.add(new LongPoint(TIME, e.eventTime()));
    doc.add(new StoredField(TIME, e.eventTime()));
    doc.add(new StringField(SOURCE, e.source(), Field.Store.YES));
    for (final String m : e.modules()) {
      doc.add(new StringField(MODULE, m, Field.Store.NO));
    }
    doc.add(new KnnFloatVectorField(VECTOR, unit, VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }

  /**
   * The about-{@code k} nearest by cosine passing {@code filter}, {@code excludeId} left out, best
   * first. {@code numCandidates} (at least k) is HNSW's beam width: higher is slower and more exact.
   */
  public List<SimilarMatch> search(final float[] query, final int k, final int numCandidates,
      final SimilarityFilter filter, final String excludeId) {
    final double norm = Sketches.norm(query);
    if (norm == 0) {
      return List.of();
    }
    final float[] unit = new float[query.length];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = (float) (query[i] / norm);
    }
    try {
      refresh();
      final IndexSearcher searcher = searchers.acquire();
      try {
        final int want = excludeId == null ? k : k + 1;
        final Query q = new KnnFloatVectorQuery(VECTOR, unit, Math.max(want, numCandidates), luceneFilter(filter));
        final TopDocs top = searcher.search(q, want);
        final List<SimilarMatch> out = new ArrayList<>(top.scoreDocs.length);
        for (final ScoreDoc sd : top.scoreDocs) {
          final Document d = searcher.storedFields().document(sd.doc);
          final String id = d.get(ID);
          if (!id.equals(excludeId) && out.size() < k) {
            out.add(new SimilarMatch(id, Math.max(-1.0, Math.min(1.0, 2.0 * sd.score - 1.0)),
                d.getField(TIME).numericValue().longValue(), d.get(SOURCE)));
          }
        }
        return out;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ids of up to {@code max} indexed sketches with event time before {@code cutoffMs}. */
  List<String> olderThan(final long cutoffMs, final int max) {
    try {
      refresh();
      final IndexSearcher searcher = searchers.acquire();
      try {
        final TopDocs top = searcher.search(LongPoint.newRangeQuery(TIME, Long.MIN_VALUE, cutoffMs - 1), max);
        final List<String> out = new ArrayList<>();
        for (final ScoreDoc sd : top.scoreDocs) {
          out.add(searcher.storedFields().document(sd.doc).get(ID));
        }
        return out;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Live indexed sketches (after the last refresh). */
  public int size() {
    try {
      refresh();
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

  /** Bytes held by the index's in-memory directory and writer buffer. */
  public long ramBytes() {
    return writer.ramBytesUsed() + directoryBytes();
  }

  private long directoryBytes() {
    try {
      long sum = 0;
      for (final String file : writer.getDirectory().listAll()) {
        sum += writer.getDirectory().fileLength(file);
      }
      return sum;
    } catch (IOException e) {
      return -1; // a file merged away while listing: the figure is informational only
    }
  }

  /** Merges to one segment: one HNSW graph to search (used after a bulk rebuild). */
  public void optimize() {
    try {
      writer.forceMerge(1);
      dirty.set(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void refresh() throws IOException {
    if (dirty.getAndSet(false)) {
      searchers.maybeRefreshBlocking();
    }
  }

  private static Query luceneFilter(final SimilarityFilter f) {
    if (f == null || f.isNone()) {
      return null;
    }
    final BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (f.fromMs() != Long.MIN_VALUE || f.toMs() != Long.MAX_VALUE) {
      b.add(LongPoint.newRangeQuery(TIME, f.fromMs(), f.toMs() - 1), BooleanClause.Occur.FILTER);
    }
    if (f.source() != null) {
      b.add(new TermQuery(new Term(SOURCE, f.source())), BooleanClause.Occur.FILTER);
    }
    for (final String m : f.modules()) {
      b.add(new TermQuery(new Term(MODULE, m)), BooleanClause.Occur.FILTER);
    }
    return b.build();
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
