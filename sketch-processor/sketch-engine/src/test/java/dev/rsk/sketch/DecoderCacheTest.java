package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.sketch.SketchException.Reason;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class DecoderCacheTest {
  private static SketchSpec spec(final long seed) {
    return SketchSpec.of(64, seed, 0.5, 0.5);
  }

  @Test
  void aHitReturnsTheSameDecoderForAnEqualSpec() {
    final DecoderCache cache = new DecoderCache(2);
    final SketchDecoder a = cache.forSpec(spec(1));
    assertThat(a.spec()).isEqualTo(spec(1));
    assertThat(cache.forSpec(spec(1))).isSameAs(a); // an equal, not identical, spec
    assertThat(cache.forSpec(spec(1).withD(128))).isNotSameAs(a);
  }

  @Test
  void theLeastRecentlyUsedSpecIsEvicted() {
    final DecoderCache cache = new DecoderCache(2);
    final SketchDecoder a = cache.forSpec(spec(1));
    final SketchDecoder b = cache.forSpec(spec(2));
    assertThat(cache.forSpec(spec(1))).isSameAs(a); // a used after b: b is now the eldest use
    final SketchDecoder c = cache.forSpec(spec(3));
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.forSpec(spec(1))).isSameAs(a);
    assertThat(cache.forSpec(spec(3))).isSameAs(c);
    // b was evicted: a new decoder, which in turn evicts a (used before c)
    assertThat(cache.forSpec(spec(2))).isNotSameAs(b);
    assertThat(cache.forSpec(spec(3))).isSameAs(c);
    assertThat(cache.forSpec(spec(1))).isNotSameAs(a);
  }

  @Test
  void theSizeIsBounded() {
    final DecoderCache cache = new DecoderCache(3);
    for (long seed = 0; seed < 20; seed++) {
      cache.forSpec(spec(seed));
      assertThat(cache.size()).isEqualTo((int) Math.min(seed + 1, 3));
    }
    final DecoderCache byDefault = new DecoderCache();
    for (long seed = 0; seed < 20; seed++) {
      byDefault.forSpec(spec(seed));
    }
    assertThat(byDefault.size()).isEqualTo(8);
    final SketchDecoder last = byDefault.forSpec(spec(19));
    byDefault.clear();
    assertThat(byDefault.size()).isZero();
    assertThat(byDefault.forSpec(spec(19))).isNotSameAs(last);
    assertThatThrownBy(() -> new DecoderCache(0))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
  }

  @Test
  void concurrentCallersShareOneDecoder() throws InterruptedException {
    final DecoderCache cache = new DecoderCache(2);
    final Set<SketchDecoder> seen = ConcurrentHashMap.newKeySet();
    final Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          seen.add(cache.forSpec(spec(7)));
        }
      });
      threads[t].start();
    }
    for (final Thread t : threads) {
      t.join(30_000);
    }
    assertThat(seen).hasSize(1);
  }
}
