package dev.rsk.stats.graph;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/** The Lucene side of a {@link SpecIndex} search: the filter as a query, and the ids of the hits. */
final class LuceneQueries {

  private LuceneQueries() {}

  /** The Lucene form of {@code f} (null: no filter), used as a pre-filter of the graph search. */
  static Query filter(final SimilarityFilter f) {
    if (f == null || f.isNone()) {
      return null;
    }
    final BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (f.fromMs() != Long.MIN_VALUE || f.toMs() != Long.MAX_VALUE) {
      b.add(LongPoint.newRangeQuery(SpecIndex.TIME, f.fromMs(), f.toMs() - 1), BooleanClause.Occur.FILTER);
    }
    if (f.source() != null) {
      b.add(new TermQuery(new Term(SpecIndex.SOURCE, f.source())), BooleanClause.Occur.FILTER);
    }
    for (final String m : f.modules()) {
      b.add(new TermQuery(new Term(SpecIndex.MODULE, m)), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  /**
   * The ids of {@code hits}, in their order, from the id's doc values. Stored fields would decompress a whole
   * block of documents per hit (candidates come in score order, not doc order): that cost more than the graph
   * search itself. Doc values iterators only move forward, so hits are visited in doc order.
   */
  static List<String> ids(final IndexSearcher searcher, final ScoreDoc[] hits) throws IOException {
    final Integer[] byDoc = new Integer[hits.length];
    for (int i = 0; i < hits.length; i++) {
      byDoc[i] = i;
    }
    java.util.Arrays.sort(byDoc, (a, b) -> Integer.compare(hits[a].doc, hits[b].doc));
    final List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    final String[] ids = new String[hits.length];
    int leaf = -1;
    BinaryDocValues values = null;
    for (final int i : byDoc) {
      final int doc = hits[i].doc;
      final int at = ReaderUtil.subIndex(doc, leaves);
      if (at != leaf) {
        leaf = at;
        values = DocValues.getBinary(leaves.get(at).reader(), SpecIndex.ID);
      }
      if (!values.advanceExact(doc - leaves.get(at).docBase)) {
        throw new IllegalStateException("indexed sketch without an id: doc " + doc);
      }
      ids[i] = values.binaryValue().utf8ToString();
    }
    return java.util.Arrays.asList(ids);
  }
}
