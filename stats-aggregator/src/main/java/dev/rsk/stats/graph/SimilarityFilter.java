package dev.rsk.stats.graph;

import dev.rsk.stats.serde.RepositoryCodec;
import java.util.List;

/**
 * Restricts a similarity search to stored sketches with event time in [fromMs, toMs), from
 * {@code source} (null: any), with every module of {@code modules} present (empty: any).
 */
public record SimilarityFilter(long fromMs, long toMs, String source, List<String> modules) {

  /** No restriction. */
  public static final SimilarityFilter NONE = new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, null, List.of());

  public SimilarityFilter {
    modules = modules == null ? List.of() : List.copyOf(modules);
  }

  /** True when nothing is filtered out. */
  public boolean isNone() {
    return fromMs == Long.MIN_VALUE && toMs == Long.MAX_VALUE && source == null && modules.isEmpty();
  }

  /** Whether the stored sketch of {@code h} passes. */
  public boolean accepts(final RepositoryCodec.Header h) {
    return h.eventTime() >= fromMs && h.eventTime() < toMs && (source == null || source.equals(h.source()))
        && h.modules().containsAll(modules);
  }
}
