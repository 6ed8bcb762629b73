package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.store.AlreadyClosedException;
import org.junit.jupiter.api.Test;

/**
 * One Lucene graph: the filter as Lucene sees it (time range from inclusive to exclusive, source, every module),
 * the exact path a restrictive filter takes, ids read back in score order, the int8 prefix and its zero cases.
 * Sizes are tiny, so expected answers are worked by hand (vectors on a quarter circle, 10 degrees apart).
 */
class SpecIndexTest {

  private static final int DIMS = 16;
  private static final HnswParams PARAMS = new HnswParams(16, 100, 100, 32);
  /** About 500 sketches of 16 coordinates per flush. */
  private static final HnswParams TINY_BUFFER = new HnswParams(16, 100, 100, 0.25);

  /** The int8 vector at {@code degrees} on the circle of the first two coordinates. */
  private static byte[] at(final double degrees) {
    final byte[] v = new byte[DIMS];
    v[0] = (byte) Math.round(127 * Math.cos(Math.toRadians(degrees)));
    v[1] = (byte) Math.round(127 * Math.sin(Math.toRadians(degrees)));
    return v;
  }

  private static SimilarityFilter time(final long from, final long to) {
    return new SimilarityFilter(from, to, null, List.of());
  }

  @Test
  void candidatesComeBestFirstWithTheirOwnIds() {
    try (SpecIndex index = new SpecIndex(PARAMS, DIMS)) {
      for (int i = 0; i <= 9; i++) {
        index.upsert("id-" + i, i, "s", List.of(), at(10 * i));
      }
      index.refresh();
      // the query at 90 degrees: id-9 (90) first, then 80, 70, ... : the reverse of the documents' order
      assertThat(index.candidates(at(90), 10, SimilarityFilter.NONE)).containsExactly("id-9", "id-8", "id-7",
          "id-6", "id-5", "id-4", "id-3", "id-2", "id-1", "id-0");
      assertThat(index.candidates(at(0), 3, SimilarityFilter.NONE)).containsExactly("id-0", "id-1", "id-2");
    }
  }

  @Test
  void aFilterKeepingAtMostTenTimesTheCandidatesReturnsEverySketchItKeeps() {
    try (SpecIndex index = new SpecIndex(PARAMS, DIMS)) {
      final List<String> xs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        index.upsert("id-" + i, i, i < 20 ? "x" : i < 41 ? "y" : "z", List.of(), at(3 * i));
        if (i < 20) {
          xs.add("id-" + i);
        }
      }
      index.refresh();
      final SimilarityFilter x = new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, "x", List.of());
      // 20 = EXACT_FILTER_FACTOR * 2 sketches pass: all of them, although two candidates were asked for
      assertThat(index.candidates(at(0), 2, x)).containsExactlyInAnyOrderElementsOf(xs);
      // 21 pass: the graph search, two candidates, the nearest of them (90 and 93 degrees to a query at 91)
      final SimilarityFilter y = new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, "y", List.of());
      assertThat(index.candidates(at(91), 2, y)).containsExactly("id-30", "id-31");
    }
  }

  @Test
  void aClosedIndexRefusesSearchesAndWrites() {
    final SpecIndex index = new SpecIndex(PARAMS, DIMS);
    index.upsert("a", 1, "s", List.of(), at(0));
    index.refresh();
    index.close();
    // the similarity index relies on this to fall back to the scan when a rebuild swapped the graph away
    assertThatThrownBy(() -> index.candidates(at(0), 1, SimilarityFilter.NONE))
        .isInstanceOf(AlreadyClosedException.class);
    assertThatThrownBy(() -> index.upsert("b", 1, "s", List.of(), at(10))).isInstanceOf(AlreadyClosedException.class);
  }

  @Test
  void theTimeRangeIsFromInclusiveToExclusiveOnEitherSideAlone() {
    try (SpecIndex index = new SpecIndex(PARAMS, DIMS)) {
      for (int i = 0; i < 6; i++) {
        index.upsert("id-" + i, 100 + i, "s", List.of(), at(10 * i));
      }
      index.refresh();
      assertThat(index.candidates(at(0), 10, time(103, Long.MAX_VALUE)))
          .containsExactlyInAnyOrder("id-3", "id-4", "id-5");
      assertThat(index.candidates(at(0), 10, time(Long.MIN_VALUE, 102))).containsExactlyInAnyOrder("id-0", "id-1");
      assertThat(index.candidates(at(0), 10, time(101, 104))).containsExactlyInAnyOrder("id-1", "id-2", "id-3");
    }
  }

  @Test
  void sourceAndModulesAreAllRequired() {
    try (SpecIndex index = new SpecIndex(PARAMS, DIMS)) {
      index.upsert("a", 1, "cam", List.of("face", "scene"), at(0));
      index.upsert("b", 1, "cam", List.of("scene"), at(10));
      index.upsert("c", 1, "mic", List.of("face", "scene"), at(20));
      index.refresh();
      final SimilarityFilter cam = new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, "cam", List.of());
      assertThat(index.candidates(at(0), 10, cam)).containsExactlyInAnyOrder("a", "b");
      final SimilarityFilter faceAndScene = new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, null,
          List.of("face", "scene"));
      assertThat(index.candidates(at(0), 10, faceAndScene)).containsExactlyInAnyOrder("a", "c");
    }
  }

  @Test
  void aShortPrefixIsZeroPaddedAndAnAllZeroOneRemovesTheId() {
    try (SpecIndex index = new SpecIndex(PARAMS, DIMS)) {
      index.upsert("short", 1, "s", List.of(), new byte[] {0, 127});
      index.upsert("full", 1, "s", List.of(), at(0));
      index.refresh();
      assertThat(index.size()).isEqualTo(2);
      assertThat(index.candidates(at(90), 2, SimilarityFilter.NONE)).containsExactly("short", "full");
      index.upsert("short", 2, "s", List.of(), new byte[DIMS]);
      index.refresh();
      assertThat(index.size()).isEqualTo(1);
      assertThat(index.candidates(at(90), 2, SimilarityFilter.NONE)).containsExactly("full");
      assertThat(index.candidates(new byte[DIMS], 2, SimilarityFilter.NONE)).as("no cosine").isEmpty();
      assertThat(index.ramBytes()).isPositive();
    }
  }

  @Test
  void finishingABulkLoadMergesSeveralFlushedSegmentsIntoOne() {
    try (SpecIndex index = new SpecIndex(TINY_BUFFER, DIMS)) {
      for (int i = 0; i < 1_200; i++) {
        final byte[] v = new byte[DIMS];
        v[i % DIMS] = 127;
        v[(i / DIMS) % DIMS] = (byte) (1 + i % 100);
        index.upsert("id-" + i, i, "s", List.of(), v);
      }
      index.refresh();
      assertThat(index.segments()).as("the tiny buffer flushed several").isGreaterThan(1);
      index.finishBulkLoad();
      assertThat(index.segments()).isEqualTo(1);
      assertThat(index.size()).isEqualTo(1_200);
    }
  }

  @Test
  void quantizeScalesTheLargestOfTheFirstDimsCoordinatesTo127AndZeroPads() {
    // 0.5 * 127 = 63.5 rounds to 64; 0.25 * 127 = 31.75 to 32
    assertThat(SpecIndex.quantize(new float[] {0.5f, -1f, 0.25f}, 4)).containsExactly(64, -127, 32, 0);
    // only the first two count for the scale: 2 is the largest, 1 is 63.5 -> 64
    assertThat(SpecIndex.quantize(new float[] {1f, 2f, 400f}, 2)).containsExactly(64, 127);
    assertThat(SpecIndex.quantize(new float[3], 4)).containsExactly(0, 0, 0, 0);
    assertThat(SpecIndex.quantize(new float[] {1f, Float.NaN}, 2)).containsExactly(0, 0);
  }
}
