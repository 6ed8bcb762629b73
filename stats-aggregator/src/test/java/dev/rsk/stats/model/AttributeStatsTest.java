package dev.rsk.stats.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttributeStatsTest {

  @Test
  void mergedPartsEqualOneAccumulatorAndSurviveTheBinaryForm() {
    final SplittableRandom random = new SplittableRandom(3);
    final AttributeStats all = new AttributeStats(2, 200);
    final AttributeStats a = new AttributeStats(2, 200);
    final AttributeStats b = new AttributeStats(2, 200);
    for (int i = 0; i < 50; i++) {
      final int n = 1 + random.nextInt(3);
      final double[] sum = {random.nextDouble(-5, 5), random.nextDouble(0, 9)};
      final double[] sq = {sum[0] * sum[0] + 1, sum[1] * sum[1] + 2};
      all.addExact(n, sum, sq);
      (i % 2 == 0 ? a : b).addExact(n, sum, sq);
    }
    all.addEstimated(2, new double[] {0.5, 1.5});
    b.addEstimated(2, new double[] {0.5, 1.5});
    a.merge(AttributeStats.fromBytes(b.toBytes()));
    assertThat(a.objects()).isEqualTo(all.objects());
    assertThat(a.observations()).isEqualTo(51);
    assertThat(a.estimated()).isEqualTo(1);
    for (int d = 0; d < 2; d++) {
      assertThat(a.mean(d)).isCloseTo(all.mean(d), within(1e-12));
      assertThat(a.variance(d)).isCloseTo(all.variance(d), within(1e-12));
      assertThat(a.quantiles(d).getN()).isEqualTo(51);
    }
  }

  @Test
  void meanAndVarianceAreOverObjects() {
    final AttributeStats s = new AttributeStats(1, 200);
    s.addExact(2, new double[] {3}, new double[] {5}); // objects 1 and 2
    s.addExact(1, new double[] {6}, new double[] {36}); // object 6
    assertThat(s.mean(0)).isCloseTo(3.0, within(1e-15));
    assertThat(s.variance(0)).isCloseTo(7.0, within(1e-12)); // ((1-3)^2 + (2-3)^2 + (6-3)^2) / 2
    assertThat(s.quantiles(0).getMinItem()).isEqualTo(1.5f); // per-inference means 1.5 and 6
    assertThat(s.quantiles(0).getMaxItem()).isEqualTo(6f);
    assertThatThrownBy(() -> s.addExact(0, new double[] {0}, new double[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * An observation decoded from the sketch enters as {@code count} objects of its mean: sums {@code count * mean},
   * squares {@code count * mean^2} (no spread within the inference), and the mean as its one item.
   */
  @Test
  void anEstimatedObservationCountsItsObjectsAtItsMean() {
    final AttributeStats s = new AttributeStats(1, 200);
    s.addEstimated(3, new double[] {2}); // objects 2, 2, 2
    s.addEstimated(1, new double[] {6}); // object 6
    assertThat(s.objects()).isEqualTo(4);
    assertThat(s.observations()).isEqualTo(2);
    assertThat(s.estimated()).isEqualTo(2);
    assertThat(s.mean(0)).isCloseTo(3.0, within(1e-15)); // 12 / 4
    assertThat(s.variance(0)).isCloseTo(4.0, within(1e-12)); // (3 * (2-3)^2 + (6-3)^2) / 3
    assertThat(s.quantiles(0).getMinItem()).isEqualTo(2f);
    assertThat(s.quantiles(0).getMaxItem()).isEqualTo(6f);
    assertThatThrownBy(() -> s.addEstimated(1, new double[] {1, 2})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length");
    assertThat(s.objects()).isEqualTo(4);
  }

  /** Sums and squares of another length than the module's are refused, each on its own, even when tracked fit. */
  @Test
  void exactSumsOfAnotherLengthAreRefused() {
    final AttributeStats s = new AttributeStats(3, 1, 200);
    assertThatThrownBy(() -> s.addExact(1, new double[] {1, 1, 1, 1}, new double[] {1, 1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    assertThatThrownBy(() -> s.addExact(1, new double[] {1, 1, 1}, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    assertThat(s.observations()).isZero();
    assertThat(s.objects()).isZero();
  }

  /** Zero is a length (no dimension tracked: counts only); only negative lengths are refused. */
  @Test
  void statisticsOfNoDimensionKeepCountsAndNegativeLengthsAreRefused() {
    final AttributeStats none = new AttributeStats(2, 0, 200);
    none.addExact(2, new double[] {1, 1}, new double[] {1, 1});
    assertThat(none.trackedDimensions()).isZero();
    assertThat(none.objects()).isEqualTo(2);
    assertThat(AttributeStats.fromBytes(none.toBytes()).objects()).isEqualTo(2);
    assertThat(new AttributeStats(0, 200).trackedDimensions()).isZero();
    assertThatThrownBy(() -> new AttributeStats(-1, 200)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AttributeStats(2, -1, 200)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFormatOneImageIsReadAsEstimatedObservations() {
    final AttributeStats kll = new AttributeStats(1, 200);
    kll.addEstimated(1, new double[] {2});
    final byte[] image = kll.quantiles(0).toByteArray();
    // format 1: k, kllK, n, then (Welford mean, m2) per dimension, then KLL images; n = 3 values 1, 2, 3
    final ByteBuffer buf = ByteBuffer.allocate(1 + 4 + 4 + 8 + 16 + 4 + image.length);
    buf.put((byte) 1).putInt(1).putInt(200).putLong(3).putDouble(2.0).putDouble(2.0).putInt(image.length).put(image);
    final AttributeStats s = AttributeStats.fromBytes(buf.array());
    assertThat(s.observations()).isEqualTo(3);
    assertThat(s.estimated()).isEqualTo(3);
    assertThat(s.mean(0)).isCloseTo(2.0, within(1e-12));
    assertThat(s.variance(0)).isCloseTo(1.0, within(1e-12));
    assertThatThrownBy(() -> AttributeStats.fromBytes(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWideModuleKeepsStatisticsOfItsFirstDimensionsOnly() {
    final AttributeStats s = new AttributeStats(5, 2, 200);
    assertThat(s.attributeLength()).isEqualTo(5);
    assertThat(s.trackedDimensions()).isEqualTo(2);
    // two inferences: 2 objects with sums (2, 4, ...) and squares (2, 10, ...); 1 object (5, 7, ...)
    s.addExact(2, new double[] {2, 4, 99, 99, 99}, new double[] {2, 10, 0, 0, 0});
    s.addExact(1, new double[] {5, 7, 99, 99, 99}, new double[] {25, 49, 0, 0, 0});
    assertThat(s.objects()).isEqualTo(3);
    assertThat(s.mean(0)).isCloseTo(7.0 / 3, within(1e-12));
    assertThat(s.mean(1)).isCloseTo(11.0 / 3, within(1e-12));
    // squares 27 and 59: (27 - 49/3) / 2 and (59 - 121/3) / 2
    assertThat(s.variance(0)).isCloseTo(16.0 / 3, within(1e-12));
    assertThat(s.variance(1)).isCloseTo(28.0 / 3, within(1e-12));
    assertThat(s.quantiles(1).getMaxItem()).isEqualTo(7.0f);
    final byte[] bytes = s.toBytes();
    assertThat(bytes[0]).isEqualTo((byte) 5);
    final AttributeStats back = AttributeStats.fromBytes(bytes);
    assertThat(back.attributeLength()).isEqualTo(5);
    assertThat(back.trackedDimensions()).isEqualTo(2);
    assertThat(back.mean(1)).isCloseTo(11.0 / 3, within(1e-12));
    assertThat(back.quantiles(0).getN()).isEqualTo(2);
    // a full-length observation is still required (the record is validated against k)
    assertThatThrownBy(() -> s.addExact(1, new double[] {1, 1}, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statisticsKeptUnderDifferentLimitsMergeIntoTheNarrower() {
    final AttributeStats wide = new AttributeStats(3, 200);
    wide.addExact(1, new double[] {1, 2, 3}, new double[] {1, 4, 9});
    final AttributeStats narrow = new AttributeStats(3, 1, 200);
    narrow.addExact(1, new double[] {3, 0, 0}, new double[] {9, 0, 0});
    assertThatThrownBy(() -> wide.merge(narrow)).isInstanceOf(IllegalArgumentException.class);
    final AttributeStats both = wide.mergedWith(narrow);
    assertThat(both.trackedDimensions()).isEqualTo(1);
    assertThat(both.objects()).isEqualTo(2);
    assertThat(both.observations()).isEqualTo(2);
    assertThat(both.mean(0)).isCloseTo(2.0, within(1e-12));
    assertThat(both.quantiles(0).getN()).isEqualTo(2);
    // the other way round mutates the narrower in place
    final AttributeStats narrow2 = new AttributeStats(3, 1, 200);
    narrow2.addExact(1, new double[] {3, 0, 0}, new double[] {9, 0, 0});
    assertThat(narrow2.mergedWith(wide)).isSameAs(narrow2);
    assertThat(narrow2.mean(0)).isCloseTo(2.0, within(1e-12));
    assertThat(wide.narrowedTo(7)).isSameAs(wide);
    // rows of the same limit (the usual merge) are merged in place, not copied
    assertThat(wide.narrowedTo(3)).isSameAs(wide);
  }

  @Test
  void aFormatTwoImageTracksEveryDimensionAndACorruptLimitIsRefused() {
    final AttributeStats one = new AttributeStats(1, 200);
    one.addExact(2, new double[] {3}, new double[] {5});
    final byte[] image = one.quantiles(0).toByteArray();
    // format 2: k, kllK, observations, estimated, objects, (sum, square) per dimension, KLL images
    final ByteBuffer v2 = ByteBuffer.allocate(1 + 4 + 4 + 24 + 16 + 4 + image.length);
    v2.put((byte) 2).putInt(1).putInt(200).putLong(1).putLong(0).putLong(2).putDouble(3).putDouble(5)
        .putInt(image.length).put(image);
    final AttributeStats s = AttributeStats.fromBytes(v2.array());
    assertThat(s.trackedDimensions()).isEqualTo(1);
    assertThat(s.objects()).isEqualTo(2);
    assertThat(s.mean(0)).isCloseTo(1.5, within(1e-12));
    assertThat(s.variance(0)).isCloseTo(0.5, within(1e-12));
    // format 3 claiming more tracked dimensions than the attribute length
    final ByteBuffer bad = ByteBuffer.allocate(1 + 4 + 4 + 4 + 24);
    bad.put((byte) 3).putInt(1).putInt(2).putInt(200).putLong(0).putLong(0).putLong(0);
    assertThatThrownBy(() -> AttributeStats.fromBytes(bad.array())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tracked");
  }

  /** Format 4 by hand: the items of an uncompacted KLL sketch as float32, no DataSketches image. */
  @Test
  void formatFiveStoresTheFlagsAndTheItemsOfAnUncompactedSketch() {
    final AttributeStats s = new AttributeStats(3, 2, 200);
    s.addExact(2, new double[] {3, -1, 7}, new double[] {5, 1, 25}); // per-inference means 1.5 and -0.5
    final ByteBuffer expected = ByteBuffer.allocate(1 + 1 + 4 + 4 + 4 + 24 + 32 + 2 * (2 + 4));
    expected.put((byte) 5).put((byte) 0).putInt(3).putInt(2).putInt(200).putLong(1).putLong(0).putLong(2)
        .putDouble(3).putDouble(5).putDouble(-1).putDouble(1)
        .putShort((short) 1).putFloat(1.5f).putShort((short) 1).putFloat(-0.5f);
    assertThat(s.toBytes()).containsExactly(expected.array());
    // the decoded image of two items per dimension (in either order) reads the same quantiles
    final ByteBuffer two = ByteBuffer.allocate(1 + 1 + 4 + 4 + 4 + 24 + 16 + 2 + 8);
    two.put((byte) 5).put((byte) 0).putInt(1).putInt(1).putInt(200).putLong(2).putLong(0).putLong(3).putDouble(9)
        .putDouble(41).putShort((short) 2).putFloat(6f).putFloat(1.5f);
    final AttributeStats back = AttributeStats.fromBytes(two.array());
    assertThat(back.objects()).isEqualTo(3);
    assertThat(back.mean(0)).isCloseTo(3.0, within(1e-15));
    assertThat(back.variance(0)).isCloseTo(7.0, within(1e-12));
    assertThat(back.quantiles(0).getN()).isEqualTo(2);
    assertThat(back.quantiles(0).getMinItem()).isEqualTo(1.5f);
    assertThat(back.quantiles(0).getMaxItem()).isEqualTo(6f);
    assertThat(back.quantiles(0).isEstimationMode()).isFalse();
    assertThat(back.repositoryItems()).isFalse();
    // and it is written back as the same two items (in the sketch's order): 2 + 4 + 4 bytes of KLL field
    assertThat(back.toBytes()).hasSize(two.array().length);
  }

  /** A format-4 image (no flags byte) as the previous version wrote it: every item kept. */
  @Test
  void aFormatFourImageIsStillReadWithEveryItem() {
    final ByteBuffer v4 = ByteBuffer.allocate(1 + 4 + 4 + 4 + 24 + 16 + 2 + 8);
    v4.put((byte) 4).putInt(1).putInt(1).putInt(200).putLong(2).putLong(0).putLong(3).putDouble(9).putDouble(41)
        .putShort((short) 2).putFloat(6f).putFloat(1.5f);
    final AttributeStats back = AttributeStats.fromBytes(v4.array());
    assertThat(back.repositoryItems()).isFalse();
    assertThat(back.observations()).isEqualTo(2);
    assertThat(back.quantiles(0).getN()).isEqualTo(2);
    assertThat(back.quantiles(0).getMaxItem()).isEqualTo(6f);
    assertThat(back.toBytes()[0]).isEqualTo((byte) 5);
  }

  /**
   * A fine-store row: counts, sums and squares of every observation, items of the pinned ones only; the flag
   * survives the binary form, a query adds the repository's items and completes it, and only then merges.
   */
  @Test
  void aRowWhoseItemsAreInTheRepositoryKeepsCountsAndPinnedItemsAndCompletesFromTheRepository() {
    final AttributeStats all = new AttributeStats(2, 200);
    all.addExact(2, new double[] {3, -1}, new double[] {5, 1}); // means 1.5, -0.5
    all.addExact(1, new double[] {4, 2}, new double[] {16, 4}); // means 4, 2
    final AttributeStats row = all.countsOnly();
    assertThat(row.repositoryItems()).isTrue();
    assertThat(row.observations()).isEqualTo(2);
    assertThat(row.objects()).isEqualTo(3);
    assertThat(row.mean(0)).isCloseTo(7.0 / 3, within(1e-15));
    assertThat(row.quantiles(0).getN()).isZero();
    // a pinned observation (an inference re-sketched since): 1 object, sums (-3, 8)
    row.addRepositoryObservation(1, new double[] {-3, 8});
    final ByteBuffer expected = ByteBuffer.allocate(1 + 1 + 4 + 4 + 4 + 24 + 32 + 2 * (2 + 4));
    expected.put((byte) 5).put((byte) 1).putInt(2).putInt(2).putInt(200).putLong(2).putLong(0).putLong(3)
        .putDouble(7).putDouble(21).putDouble(1).putDouble(5)
        .putShort((short) 1).putFloat(-3f).putShort((short) 1).putFloat(8f);
    assertThat(row.toBytes()).containsExactly(expected.array());
    final AttributeStats back = AttributeStats.fromBytes(expected.array());
    assertThat(back.repositoryItems()).isTrue();
    final AttributeStats complete = new AttributeStats(2, 200);
    assertThatThrownBy(() -> complete.mergedWith(back)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> back.mergedWith(complete)).isInstanceOf(IllegalStateException.class);
    // the repository's items of the bucket: the two observations above
    back.addRepositoryObservation(2, new double[] {3, -1});
    back.addRepositoryObservation(1, new double[] {4, 2});
    back.completeItems();
    assertThat(back.repositoryItems()).isFalse();
    final AttributeStats merged = complete.mergedWith(back);
    assertThat(merged.quantiles(0).getN()).isEqualTo(3);
    assertThat(merged.quantiles(0).getMinItem()).isEqualTo(-3f);
    assertThat(merged.quantiles(0).getMaxItem()).isEqualTo(4f);
    assertThat(merged.quantiles(1).getMinItem()).isEqualTo(-0.5f);
    assertThat(merged.quantiles(1).getMaxItem()).isEqualTo(8f);
    assertThat(merged.observations()).isEqualTo(2);
    // too few sums, or no objects, is refused
    assertThatThrownBy(() -> back.addRepositoryObservation(1, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> back.addRepositoryObservation(0, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownFlagsAreRefused() {
    final byte[] bytes = new AttributeStats(1, 200).toBytes();
    bytes[1] = 2;
    assertThatThrownBy(() -> AttributeStats.fromBytes(bytes)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flags");
  }

  @Test
  void aCompactedSketchKeepsItsImageInFormatFour() {
    final AttributeStats s = new AttributeStats(1, 8);
    for (int i = 1; i <= 100; i++) {
      s.addExact(1, new double[] {i}, new double[] {(double) i * i});
    }
    assertThat(s.quantiles(0).isEstimationMode()).isTrue();
    final byte[] image = s.quantiles(0).toByteArray();
    final byte[] bytes = s.toBytes();
    final int kll = 1 + 1 + 4 + 4 + 4 + 24 + 16;
    assertThat(bytes).hasSize(kll + 2 + 4 + image.length);
    assertThat(ByteBuffer.wrap(bytes).getShort(kll)).isEqualTo((short) 0xFFFF);
    final AttributeStats back = AttributeStats.fromBytes(bytes);
    assertThat(back.quantiles(0).toByteArray()).containsExactly(image);
    assertThat(back.mean(0)).isCloseTo(50.5, within(1e-12));
    assertThat(back.quantiles(0).getN()).isEqualTo(100);
    assertThat(back.quantiles(0).getMinItem()).isEqualTo(1f);
    assertThat(back.quantiles(0).getMaxItem()).isEqualTo(100f);
  }

  /**
   * The largest allowed KLL k (65535, StatsConfig) holds 65535 items uncompacted: that count is the u16 marker of
   * an image, so such a sketch is written as its image, and reads back whole.
   */
  @Test
  void anUncompactedSketchOfAsManyItemsAsTheImageMarkerIsWrittenAsItsImage() {
    final AttributeStats s = new AttributeStats(1, 0xFFFF);
    for (int i = 0; i < 0xFFFF; i++) {
      s.addExact(1, new double[] {i}, new double[] {(double) i * i});
    }
    assertThat(s.quantiles(0).isEstimationMode()).isFalse();
    final byte[] bytes = s.toBytes();
    final int kll = 1 + 1 + 4 + 4 + 4 + 24 + 16;
    assertThat(ByteBuffer.wrap(bytes).getShort(kll)).isEqualTo((short) 0xFFFF);
    final AttributeStats back = AttributeStats.fromBytes(bytes);
    assertThat(back.quantiles(0).getN()).isEqualTo(0xFFFF);
    assertThat(back.quantiles(0).getMinItem()).isEqualTo(0f);
    assertThat(back.quantiles(0).getMaxItem()).isEqualTo(65534f);
  }

  /** A format-3 image (a DataSketches KLL image per tracked dimension) as the previous version wrote it. */
  @Test
  void aFormatThreeImageIsStillRead() {
    final AttributeStats one = new AttributeStats(1, 200);
    one.addExact(1, new double[] {4}, new double[] {16});
    one.addExact(1, new double[] {2}, new double[] {4});
    final byte[] image = one.quantiles(0).toByteArray();
    final ByteBuffer v3 = ByteBuffer.allocate(1 + 4 + 4 + 4 + 24 + 16 + 4 + image.length);
    v3.put((byte) 3).putInt(2).putInt(1).putInt(200).putLong(2).putLong(0).putLong(2).putDouble(6).putDouble(20)
        .putInt(image.length).put(image);
    final AttributeStats s = AttributeStats.fromBytes(v3.array());
    assertThat(s.attributeLength()).isEqualTo(2);
    assertThat(s.trackedDimensions()).isEqualTo(1);
    assertThat(s.mean(0)).isCloseTo(3.0, within(1e-15));
    assertThat(s.variance(0)).isCloseTo(2.0, within(1e-12));
    assertThat(s.quantiles(0).getMinItem()).isEqualTo(2f);
    assertThat(s.quantiles(0).getMaxItem()).isEqualTo(4f);
    // a cut format-4 image is refused
    final byte[] cut = java.util.Arrays.copyOf(s.toBytes(), s.toBytes().length - 1);
    assertThatThrownBy(() -> AttributeStats.fromBytes(cut)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt");
  }
}
