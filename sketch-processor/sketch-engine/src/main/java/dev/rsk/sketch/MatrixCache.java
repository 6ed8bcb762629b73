package dev.rsk.sketch;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded, thread-safe LRU cache of the random matrices of one spec: the columns of {@code E_M}
 * (float {@code +-1/sqrt(d)}, generated column by column so a module's presence column does not
 * depend on its {@code k}) and the signed permutations {@code R_{M,j}}.
 *
 * <p>The bound is on bytes held ({@link #DEFAULT_BUDGET_BYTES} unless given); least recently used
 * entries are evicted. An entry larger than a quarter of the budget is returned but not cached.
 * Entries are immutable once published, so readers never lock while computing.
 */
final class MatrixCache {
  /** Default budget per cache: 64 MiB (about 940 modules with k = 16 at d = 1024). */
  static final long DEFAULT_BUDGET_BYTES = 64L << 20;

  private record RotationKey(String module, String slot) {}

  private final SketchSpec spec;
  private final long budget;
  private final float plus;
  private final Map<Object, Object> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  MatrixCache(final SketchSpec spec, final long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("cache budget must be >= 0, got " + budgetBytes);
    }
    this.spec = spec;
    this.budget = budgetBytes;
    this.plus = (float) (1.0 / Math.sqrt(spec.d()));
  }

  SketchSpec spec() {
    return spec;
  }

  /**
   * Columns {@code 0..k} of {@code E_module} (the returned array may hold more columns). Column 0 is
   * the presence signature.
   */
  float[][] columns(final String module, final int k) {
    final float[][] cached;
    synchronized (this) {
      cached = (float[][]) entries.get(module);
    }
    if (cached != null && cached.length > k) {
      return cached;
    }
    final int have = cached == null ? 0 : cached.length;
    final float[][] cols = cached == null ? new float[k + 1][] : Arrays.copyOf(cached, k + 1);
    final long key = Hashing.streamKey(spec.seed(), Hashing.ROLE_EMBEDDING, module, null);
    for (int c = have; c <= k; c++) {
      cols[c] = column(key, c);
    }
    put(module, cols, (long) cols.length * (4L * spec.d() + 16) + 64);
    return cols;
  }

  /** {@code R_{module,slot}}. */
  SignedPermutation rotation(final String module, final String slot) {
    final RotationKey key = new RotationKey(module, slot);
    final SignedPermutation cached;
    synchronized (this) {
      cached = (SignedPermutation) entries.get(key);
    }
    if (cached != null) {
      return cached;
    }
    final SignedPermutation r = SignedPermutation.generate(spec, module, slot);
    put(key, r, r.bytes());
    return r;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int size() {
    return entries.size();
  }

  private float[] column(final long key, final int c) {
    final int d = spec.d();
    final float[] col = new float[d];
    final float minus = -plus;
    long bits = 0;
    for (int r = 0; r < d; r++) {
      if ((r & 63) == 0) {
        bits = Hashing.word(key, ((long) c << 32) | (r >>> 6));
      }
      col[r] = ((bits >>> (r & 63)) & 1L) == 0 ? plus : minus;
    }
    return col;
  }

  private synchronized void put(final Object key, final Object value, final long size) {
    if (size > budget / 4) {
      return;
    }
    final Object old = entries.put(key, value);
    if (old != null) {
      bytes -= sizeOf(old);
    }
    bytes += size;
    final Iterator<Map.Entry<Object, Object>> it = entries.entrySet().iterator();
    while (bytes > budget && it.hasNext()) {
      final Map.Entry<Object, Object> eldest = it.next();
      if (eldest.getKey().equals(key)) {
        continue;
      }
      bytes -= sizeOf(eldest.getValue());
      it.remove();
    }
  }

  private long sizeOf(final Object value) {
    if (value instanceof float[][] cols) {
      return (long) cols.length * (4L * spec.d() + 16) + 64;
    }
    return ((SignedPermutation) value).bytes();
  }
}
