package dev.rsk.sketch;

/**
 * The counter-based generator behind every random matrix: SplitMix64's finaliser applied to
 * {@code key + (counter + 1) * GOLDEN}, where the key is a hash of {@code (seed, role, module, slot)}.
 * Pure integer arithmetic on UTF-16 code units, so results are identical on every JVM and platform.
 */
final class Hashing {
  /** 2^64 / golden ratio, SplitMix64's increment. */
  static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Role of the module embedding {@code E_M} (sign bits). */
  static final long ROLE_EMBEDDING = 1;
  /** Role of the permutation of {@code R_{M,j}} (Fisher-Yates draws). */
  static final long ROLE_PERMUTATION = 2;
  /** Role of the sign diagonal of {@code R_{M,j}}. */
  static final long ROLE_SIGNS = 3;

  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private Hashing() {}

  /** SplitMix64's output function (Stafford variant 13): a bijective 64-bit mixer. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** 64-bit hash of a string's UTF-16 code units (FNV-1a, then mixed); stable across JVMs. */
  static long hashString(final String s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= FNV_PRIME;
    }
    return mix64(h ^ s.length());
  }

  /** Key of one random stream. */
  static long streamKey(final long seed, final long role, final String module, final String slot) {
    long k = mix64(seed + role * GOLDEN);
    k = mix64(k ^ hashString(module));
    if (slot != null) {
      k = mix64((k + GOLDEN) ^ hashString(slot));
    }
    return k;
  }

  /** The {@code counter}-th 64-bit word of the stream {@code key}. */
  static long word(final long key, final long counter) {
    return mix64(key + (counter + 1) * GOLDEN);
  }
}
