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
}
