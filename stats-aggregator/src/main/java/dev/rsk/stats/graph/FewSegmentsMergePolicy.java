package dev.rsk.stats.graph;

import java.io.IOException;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;

/**
 * Keeps a partition's graph in few Lucene segments: a search runs one HNSW search per segment, each with the
 * full candidate beam, so the query cost grows with the segments (docs/graph.md "1M"). After the rebuild a
 * partition is one large segment (the bulk load); the writes that follow flush small ones at each refresh.
 *
 * <ul>
 *   <li>Up to 1 + {@link #SEGMENTS_PER_TIER} segments nothing is merged (a small partition refreshed a few times
 *       would otherwise insert its sketches again at every refresh: {@code bench-stats} measured 868 us of
 *       indexer CPU per sketch that way, 510 us without, docs/graph.md).
 *   <li>Beyond, the largest segment is left alone until the others hold {@link #ABSORB} of its sketches; then
 *       everything is merged into one. Lucene 9.12 seeds the merged graph with the largest segment's graph when
 *       that segment has no deletes, so only the others are inserted again (with deletes, from retention or a
 *       re-sketched id, the whole graph is rebuilt: the cost of a rebuild, once per {@link #ABSORB} of
 *       growth).
 *   <li>The others are merged as a {@link TieredMergePolicy} with {@link #SEGMENTS_PER_TIER} segments per tier
 *       would (instead of Lucene's 10): a handful of small segments beside the large one, each sketch inserted
 *       again about once per tier it climbs.
 *   <li>A refresh merges nothing of its own ({@link #findFullFlushMerges}): Lucene would otherwise merge on
 *       {@code getReader} what the wrapped policy proposes for every segment under its 2 MB floor, the largest
 *       included, past the rules above. Those merges, on the indexer's thread like all others, made the largest
 *       bursts: a scratch partition of 11,000 sketches indexed 1,000 per refresh, then 3,000 more 50 per refresh,
 *       spent 15.4 s merging with an 8.3 s burst at the first refresh, and 11.9 s with bursts of at most 4.1 s
 *       without them (docs/graph.md, Merges on refresh).
 * </ul>
 */
final class FewSegmentsMergePolicy extends FilterMergePolicy {

  /** The others' share of the largest segment's sketches at which they are merged into it. */
  static final double ABSORB = 0.1;
  static final int SEGMENTS_PER_TIER = 3;

  FewSegmentsMergePolicy() {
    super(new TieredMergePolicy().setSegmentsPerTier(SEGMENTS_PER_TIER).setMaxMergeAtOnce(SEGMENTS_PER_TIER));
  }

  @Override
  public MergeSpecification findMerges(final MergeTrigger trigger, final SegmentInfos infos,
      final MergeContext context) throws IOException {
    if (infos.size() <= 1 + SEGMENTS_PER_TIER) {
      return null; // few enough to search; merging them would insert the small ones again for little gain
    }
    SegmentCommitInfo largest = null;
    long largestLive = -1;
    long othersLive = 0;
    for (final SegmentCommitInfo info : infos) {
      final long live = info.info.maxDoc() - (long) context.numDeletesToMerge(info);
      if (live > largestLive) {
        othersLive += Math.max(0, largestLive);
        largest = info;
        largestLive = live;
      } else {
        othersLive += live;
      }
    }
    if (context.getMergingSegments().isEmpty() && othersLive >= ABSORB * largestLive) {
      final MergeSpecification all = new MergeSpecification();
      all.add(new OneMerge(infos.asList()));
      return all;
    }
    final SegmentInfos others = new SegmentInfos(infos.getIndexCreatedVersionMajor());
    for (final SegmentCommitInfo info : infos) {
      if (info != largest) {
        others.add(info);
      }
    }
    return in.findMerges(trigger, others, context);
  }

  /** None: the merges after a refresh's flush are {@link #findMerges}'s alone (see the class comment). */
  @Override
  public MergeSpecification findFullFlushMerges(final MergeTrigger trigger, final SegmentInfos infos,
      final MergeContext context) {
    return null;
  }
}
