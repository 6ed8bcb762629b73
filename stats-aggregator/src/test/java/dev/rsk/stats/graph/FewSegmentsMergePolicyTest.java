package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.InfoStream;
import org.junit.jupiter.api.Test;

/**
 * The merge policy on real Lucene segments (written to a {@link ByteBuffersDirectory} without merging, one commit
 * per segment): what it proposes decides how many HNSW graphs a search walks and how often sketches are inserted
 * again. The merge context is a plain stand-in whose deletes and merging segments each test sets.
 */
class FewSegmentsMergePolicyTest {

  private final FewSegmentsMergePolicy policy = new FewSegmentsMergePolicy();

  /** Segments of the given document counts, in that order. */
  private static SegmentInfos segments(final Directory dir, final int... docs) throws IOException {
    final IndexWriterConfig cfg = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE);
    int id = 0;
    try (IndexWriter w = new IndexWriter(dir, cfg)) {
      for (final int n : docs) {
        for (int i = 0; i < n; i++) {
          final Document d = new Document();
          d.add(new StringField("id", "d" + id++, Field.Store.NO));
          w.addDocument(d);
        }
        w.commit();
      }
    }
    final SegmentInfos infos = SegmentInfos.readLatestCommit(dir);
    assertThat(infos.size()).isEqualTo(docs.length);
    for (int i = 0; i < docs.length; i++) {
      assertThat(infos.info(i).info.maxDoc()).isEqualTo(docs[i]);
    }
    return infos;
  }

  /** A merge context with {@code deletes} per segment and the segments already merging. */
  private static final class Context implements MergePolicy.MergeContext {
    final Map<SegmentCommitInfo, Integer> deletes = new HashMap<>();
    final Set<SegmentCommitInfo> merging = new HashSet<>();

    @Override
    public int numDeletesToMerge(final SegmentCommitInfo info) {
      return deletes.getOrDefault(info, 0);
    }

    @Override
    public int numDeletedDocs(final SegmentCommitInfo info) {
      return deletes.getOrDefault(info, 0);
    }

    @Override
    public InfoStream getInfoStream() {
      return InfoStream.NO_OUTPUT;
    }

    @Override
    public Set<SegmentCommitInfo> getMergingSegments() {
      return merging;
    }
  }

  private MergePolicy.MergeSpecification find(final SegmentInfos infos, final Context context)
      throws IOException {
    return policy.findMerges(MergeTrigger.SEGMENT_FLUSH, infos, context);
  }

  private static List<List<SegmentCommitInfo>> merges(final MergePolicy.MergeSpecification spec) {
    final List<List<SegmentCommitInfo>> out = new ArrayList<>();
    for (final MergePolicy.OneMerge m : spec.merges) {
      out.add(m.segments);
    }
    return out;
  }

  @Test
  void upToOnePlusSegmentsPerTierNothingIsMerged() throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      // 4 = 1 + SEGMENTS_PER_TIER segments, the others far above the absorb share: still nothing
      assertThat(find(segments(dir, 10, 10, 10, 10), new Context())).isNull();
    }
  }

  @Test
  void aRefreshMergesNothingOnItsOwnEvenWhereTieredMergingWouldMergeEverySmallSegment() throws IOException {
    try (Directory dir = new ByteBuffersDirectory(); Directory seven = new ByteBuffersDirectory()) {
      // four segments, all far below TieredMergePolicy's 2 MB floor: as a tier of three it merges them on
      // IndexWriter.getReader; this policy leaves them (nothing up to 1 + SEGMENTS_PER_TIER), and with more
      // segments its findMerges decides after the flush anyway
      final SegmentInfos infos = segments(dir, 1000, 300, 50, 50);
      assertThat(new TieredMergePolicy().setSegmentsPerTier(FewSegmentsMergePolicy.SEGMENTS_PER_TIER)
          .setMaxMergeAtOnce(FewSegmentsMergePolicy.SEGMENTS_PER_TIER)
          .findFullFlushMerges(MergeTrigger.GET_READER, infos, new Context()))
          .as("the wrapped policy alone would merge on refresh").isNotNull();
      assertThat(policy.findFullFlushMerges(MergeTrigger.GET_READER, infos, new Context())).isNull();
      assertThat(policy.findFullFlushMerges(MergeTrigger.GET_READER, segments(seven, 1000, 300, 50, 50, 50, 50, 50),
          new Context())).isNull();
    }
  }

  @Test
  void oneSegmentMoreAndOthersHoldingAtLeastATenthOfTheLargestMergesEverythingIntoOne() throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      // the largest (100) second; others 4 + 2 + 2 + 2 = 10, exactly ABSORB of it
      final SegmentInfos infos = segments(dir, 4, 100, 2, 2, 2);
      final MergePolicy.MergeSpecification spec = find(infos, new Context());
      assertThat(spec).isNotNull();
      assertThat(merges(spec)).containsExactly(infos.asList());
    }
  }

  @Test
  void othersJustBelowATenthOfTheLargestAreMergedAmongThemselvesOnly() throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      // others 3 + 2 + 2 + 2 = 9 < 10: the largest is left alone, the four small ones merged as a tier of 3
      final SegmentInfos infos = segments(dir, 3, 100, 2, 2, 2);
      final SegmentCommitInfo largest = infos.info(1);
      final MergePolicy.MergeSpecification spec = find(infos, new Context());
      assertThat(spec).as("four small segments exceed the tier of three").isNotNull();
      assertThat(merges(spec)).isNotEmpty().allSatisfy(m -> {
        assertThat(m).doesNotContain(largest);
        assertThat(m).hasSizeBetween(2, FewSegmentsMergePolicy.SEGMENTS_PER_TIER);
      });
    }
  }

  @Test
  void deletedSketchesDoNotCountTowardsTheLargestSegment() throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      final SegmentInfos infos = segments(dir, 100, 2, 2, 2, 2);
      final Context context = new Context();
      // 100 - 50 deleted = 50 live; others 8 >= 5: everything is merged (counting 100, or 150, would not be)
      context.deletes.put(infos.info(0), 50);
      assertThat(merges(find(infos, context))).containsExactly(infos.asList());
    }
  }

  @Test
  void whileSomeSegmentsAreMergingTheWholeMergeIsNotProposed() throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      final SegmentInfos infos = segments(dir, 100, 20, 20, 20, 20);
      final Context context = new Context();
      context.merging.add(infos.info(1));
      // the others (80) exceed a tenth of the largest, but one is merging: only the tiered merge of the others
      // is asked, and three free small segments are within its tier of three
      assertThat(find(infos, context)).isNull();
      // the same segments with nothing merging: everything at once
      assertThat(merges(find(infos, new Context()))).containsExactly(infos.asList());
    }
  }
}
