package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PureMemoTest {

  @Test
  void computesEachKeyOnceAndForgetsTheLeastRecentlyUsedBeyondCapacity() {
    final List<Integer> computed = new ArrayList<>();
    final PureMemo<Integer, String> memo = new PureMemo<>(2, k -> {
      computed.add(k);
      return "v" + k;
    });
    assertThat(memo.get(1)).isEqualTo("v1");
    assertThat(memo.get(2)).isEqualTo("v2");
    assertThat(memo.get(1)).isEqualTo("v1");
    assertThat(memo.get(3)).isEqualTo("v3"); // drops 2, the least recently used
    assertThat(memo.get(1)).isEqualTo("v1");
    assertThat(memo.get(2)).isEqualTo("v2");
    assertThat(computed).containsExactly(1, 2, 3, 2);
  }

  @Test
  void aNullResultIsNotRemembered() {
    final List<Integer> computed = new ArrayList<>();
    final PureMemo<Integer, String> memo = new PureMemo<>(4, k -> {
      computed.add(k);
      return null;
    });
    assertThat(memo.get(7)).isNull();
    assertThat(memo.get(7)).isNull();
    assertThat(computed).containsExactly(7, 7);
  }
}
