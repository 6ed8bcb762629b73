package dev.rsk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.internal.AnswerCache;
import dev.rsk.api.model.GatheredAnswer;
import dev.rsk.api.model.InstanceStatus;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whole answers of frequency, hours and stats as the JSON bytes served, kept in this instance's {@link AnswerCache}
 * (the same budget, {@code rsk.api.answer.cache.bytes}, and the same rule: kept only until the stores' version
 * moves at the next commit, discard or rebalance). An answer is kept only when this instance answered every
 * partition itself from its active stores: the version of its own stores then proves a kept answer current.
 * With another instance in the cluster, or any part stale (a standby), answers are made afresh every time, and
 * only this instance's parts are kept (by {@link dev.rsk.api.internal.LocalAnswers}). A kept answer is the same
 * bytes as a fresh one. Thread-safe.
 */
final class WholeAnswers {

  /** A normalized question: the route, the module, the whole-hour range, and the bucket or zone ({@code detail}). */
  record Question(String route, String module, long fromMs, long toMs, String detail) {}

  /** An answer's bytes, and whether this instance alone answered it from active stores. */
  private record Served(byte[] json, boolean local) {}

  /** Rough heap bytes of a kept answer beyond its JSON: the array header, the key and the entry. */
  private static final long OVERHEAD_BYTES = 256;

  private final AnswerCache cache;
  private final ObjectMapper mapper;
  private final String self;
  private final BooleanSupplier allLocal;
  /** Answers made (not served from the cache): what tests check the cache by. */
  private final AtomicLong made = new AtomicLong();

  /**
   * @param self this instance as answers name it ({@code host:port})
   * @param allLocal true while this instance holds every partition as active (asked before each question)
   */
  WholeAnswers(final AnswerCache cache, final ObjectMapper mapper, final String self,
      final BooleanSupplier allLocal) {
    this.cache = cache;
    this.mapper = mapper;
    this.self = self;
    this.allLocal = allLocal;
  }

  /** The JSON of {@code question}: kept, or made by {@code answer} (and kept when this instance alone answered). */
  byte[] json(final Question question, final Supplier<? extends GatheredAnswer> answer) {
    // Only an instance holding every partition may share a read in flight or keep its answer: a remote part read
    // before this request arrived could miss a commit of that instance.
    if (!cache.on() || !allLocal.getAsBoolean()) {
      made.incrementAndGet();
      return serialize(answer.get());
    }
    return cache.get(question, () -> {
      made.incrementAndGet();
      final GatheredAnswer a = answer.get();
      return new Served(serialize(a), local(a));
    }, s -> s.json().length + OVERHEAD_BYTES, Served::local).json();
  }

  /** Answers made so far (each read of the stores and serialization), not those served from the cache. */
  long made() {
    return made.get();
  }

  /** True if only this instance answered, every part from active stores. */
  private boolean local(final GatheredAnswer a) {
    if (a.stale()) {
      return false;
    }
    for (final InstanceStatus s : a.instances()) {
      if (!s.instance().equals(self) || !"ok".equals(s.status())) {
        return false;
      }
    }
    return true;
  }

  private byte[] serialize(final Object body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
