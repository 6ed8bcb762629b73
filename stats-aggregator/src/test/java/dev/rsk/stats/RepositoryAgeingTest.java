package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.serde.RepositoryCodec;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.Scenes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository's ageing tiers on real in-memory stores, with event times exactly at and one millisecond
 * around each boundary. Tiers (docs/api.md, Repository ageing), relative to the newest event time M seen:
 * whole while {@code t >= M - fullFor}, cut to {@code round(q * d)} coordinates when {@code t < M - fullFor},
 * deleted when {@code t < M - retention}; at most {@code cleanupBatch} entries per tier and run.
 *
 * <p>Here fullFor = 1,000 ms, retention = 5,000 ms, q = 0.25 and d = 64, so an aged vector keeps 16 coordinates.
 */
class RepositoryAgeingTest {

  private static final long M = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  private static final long FULL_FOR = 1_000;
  private static final long RETENTION = 5_000;
  /** Event times of the sketches handed to the hook before their deletion, in order. */
  private final List<Long> handedOver = new ArrayList<>();
  private static final SketchSpec SPEC = SketchSpec.of(64, 42L, 0.5, 0.5);
  private static final int D = 64;
  private static final int AGED_LENGTH = 16; // round(0.25 * 64)

  private final Scenes scenes = new Scenes(SPEC, 7);
  private KeyValueStore<String, byte[]> repository;
  private KeyValueStore<Bytes, byte[]> timeIndex;

  @BeforeEach
  void setUp() {
    final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    repository = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("repo"), Serdes.String(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    repository.init(context.getStateStoreContext(), repository);
    timeIndex = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("index"), Serdes.Bytes(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    timeIndex.init(context.getStateStoreContext(), timeIndex);
  }

  @AfterEach
  void tearDown() {
    repository.close();
    timeIndex.close();
  }

  private static StatsConfig config(final int batch, final double fraction) {
    return StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofMillis(RETENTION))
        .withAgeing(Duration.ofMillis(FULL_FOR), fraction)
        .withCleanup(Duration.ofMinutes(10), batch);
  }

  /** A whole compact record of event time {@code t}, stored with its index entry in tier FULL. */
  private byte[] store(final String id, final long t) {
    final InferenceSketch s = scenes.scene(id, t, 1, 0, 1);
    final byte[] compact = RepositoryCodec.encode(s, SketchMapper.sketch(s), 8);
    assertThat(RepositoryCodec.vectorLength(compact)).isEqualTo(D);
    repository.put(id, compact);
    timeIndex.put(TimeIndex.key(t, id), new byte[] {RepositoryAgeing.FULL});
    return compact;
  }

  private byte[] tier(final String id, final long t) {
    return timeIndex.get(TimeIndex.key(t, id));
  }

  private List<String> indexIds() {
    final List<String> ids = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = timeIndex.all()) {
      while (it.hasNext()) {
        final KeyValue<Bytes, byte[]> kv = it.next();
        ids.add(TimeIndex.inferenceId(kv.key));
      }
    }
    return ids;
  }

  @Test
  void dueForAgeingIsStrictlyOlderThanTheFullTierOfTheNewestTimeSeen() {
    final RepositoryAgeing ageing = new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.saw(M - 500); // an older sketch does not move the newest time back
    assertThat(ageing.dueForAgeing(M - FULL_FOR - 1)).isTrue();
    assertThat(ageing.dueForAgeing(M - FULL_FOR)).isFalse();
    assertThat(ageing.dueForAgeing(M - FULL_FOR + 1)).isFalse();
    assertThat(ageing.dueForAgeing(M)).isFalse();
    ageing.saw(M + 1); // a newer one does: M - FULL_FOR is now one millisecond too old
    assertThat(ageing.dueForAgeing(M - FULL_FOR)).isTrue();
    assertThat(ageing.dueForAgeing(M - FULL_FOR + 1)).isFalse();
  }

  @Test
  void beforeAnySketchNothingIsDueForAgeing() {
    final RepositoryAgeing ageing = new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting);
    // nothing seen: the newest time is the sentinel Long.MIN_VALUE, and Long.MIN_VALUE - 1,000 would wrap to
    // Long.MAX_VALUE - 999, after every one of these
    assertThat(ageing.dueForAgeing(M)).isFalse();
    assertThat(ageing.dueForAgeing(0L)).isFalse();
    assertThat(ageing.dueForAgeing(-1L)).isFalse();
    assertThat(ageing.dueForAgeing(Long.MIN_VALUE)).isFalse();
    assertThat(ageing.dueForAgeing(Long.MAX_VALUE - 1_000)).isFalse();
  }

  @Test
  void aNewestTimeWithinTheFullTierOfTheEarliestLongAgesAndDeletesNothing() {
    final byte[] whole = store("indexed", M);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting);
    final long newest = Long.MIN_VALUE + 500; // 500 ms above the earliest long: fullFor 1,000 and retention 5,000
    ageing.saw(newest);
    // newest - 1,000 would wrap to Long.MAX_VALUE - 499: no time is older than Long.MIN_VALUE, so none is due
    assertThat(ageing.dueForAgeing(Long.MIN_VALUE)).isFalse();
    assertThat(ageing.dueForAgeing(newest)).isFalse();
    assertThat(ageing.dueForAgeing(M)).isFalse();
    // newest - 5,000 would wrap to Long.MAX_VALUE - 4,499, making the entry at M "past retention"
    ageing.run();
    assertThat(repository.get("indexed")).isEqualTo(whole);
    assertThat(tier("indexed", M)).containsExactly(RepositoryAgeing.FULL);
  }

  @Test
  void theDueBoundStopsAtTheEarliestLongInsteadOfWrapping() {
    assertThat(RepositoryAgeing.before(M, FULL_FOR)).isEqualTo(M - 1_000);
    assertThat(RepositoryAgeing.before(5L, 10L)).isEqualTo(-5L);
    assertThat(RepositoryAgeing.before(Long.MIN_VALUE + 1_000, 1_000)).isEqualTo(Long.MIN_VALUE); // exactly, no wrap
    assertThat(RepositoryAgeing.before(Long.MIN_VALUE + 999, 1_000)).isEqualTo(Long.MIN_VALUE); // would wrap
    assertThat(RepositoryAgeing.before(Long.MIN_VALUE, 1L)).isEqualTo(Long.MIN_VALUE);
    assertThat(RepositoryAgeing.before(Long.MIN_VALUE, 0L)).isEqualTo(Long.MIN_VALUE);
    assertThat(RepositoryAgeing.before(Long.MAX_VALUE, Long.MAX_VALUE)).isZero();
  }

  @Test
  void cutKeepsTheRoundedFractionOfDAndAtLeastOneCoordinate() {
    final byte[] whole = store("a", M);
    assertThat(RepositoryCodec.vectorLength(
        new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting).cut(whole, D))).isEqualTo(16);
    // 0.2 * 64 = 12.8 rounds up to 13 (a truncation would give 12)
    assertThat(RepositoryCodec.vectorLength(new RepositoryAgeing(config(10, 0.2), repository, timeIndex, this::deleting)
        .cut(whole, D))).isEqualTo(13);
    // 0.001 * 64 = 0.064 rounds to 0: at least one coordinate is kept
    assertThat(RepositoryCodec.vectorLength(
        new RepositoryAgeing(config(10, 0.001), repository, timeIndex, this::deleting).cut(whole, D))).isEqualTo(1);
    // the cut is a prefix of the stored vector, scale and all
    final float[] full = RepositoryCodec.sketch(whole).vector();
    final float[] prefix = RepositoryCodec.sketch(
        new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting).cut(whole, D)).vector();
    for (int i = 0; i < prefix.length; i++) {
      assertThat(prefix[i]).isEqualTo(full[i]);
    }
  }

  @Test
  void aRunWithNothingSeenChangesNothing() {
    final byte[] old = store("old", M - 100 * RETENTION);
    new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting).run();
    assertThat(repository.get("old")).isEqualTo(old);
    assertThat(tier("old", M - 100 * RETENTION)).containsExactly(RepositoryAgeing.FULL);
  }

  @Test
  void eachTierBoundaryExactlyAndOneMillisecondAround() {
    final long ageBefore = M - FULL_FOR;
    final long deleteBefore = M - RETENTION;
    final byte[] newest = store("newest", M);
    final byte[] fullAbove = store("full+1", ageBefore + 1);
    final byte[] fullAt = store("full=", ageBefore);
    final byte[] agedBelow = store("full-1", ageBefore - 1);
    final byte[] keptAbove = store("ret+1", deleteBefore + 1);
    final byte[] keptAt = store("ret=", deleteBefore);
    store("ret-1", deleteBefore - 1);
    store("ret-2", deleteBefore - 2);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();

    // whole tier: untouched
    assertThat(repository.get("newest")).isEqualTo(newest);
    assertThat(repository.get("full+1")).isEqualTo(fullAbove);
    assertThat(repository.get("full=")).isEqualTo(fullAt);
    assertThat(tier("newest", M)).containsExactly(RepositoryAgeing.FULL);
    assertThat(tier("full+1", ageBefore + 1)).containsExactly(RepositoryAgeing.FULL);
    assertThat(tier("full=", ageBefore)).containsExactly(RepositoryAgeing.FULL);
    // aged tier: a 16-coordinate prefix of what was stored, index says AGED
    assertAged("full-1", ageBefore - 1, agedBelow);
    assertAged("ret+1", deleteBefore + 1, keptAbove);
    assertAged("ret=", deleteBefore, keptAt);
    // past retention: gone from both stores
    assertThat(repository.get("ret-1")).isNull();
    assertThat(repository.get("ret-2")).isNull();
    assertThat(indexIds()).containsExactly("ret=", "ret+1", "full-1", "full=", "full+1", "newest");
    // each deleted sketch was handed over before its deletion (its statistics' items are pinned), oldest first
    assertThat(handedOver).containsExactly(deleteBefore - 2, deleteBefore - 1);

    // a second run with nothing new changes nothing
    final byte[] again = repository.get("full-1");
    ageing.run();
    assertThat(repository.get("full-1")).isSameAs(again);
    assertThat(indexIds()).hasSize(6);
  }

  private void deleting(final byte[] bytes, final RepositoryRecord record) {
    assertThat(RepositoryCodec.eventTime(bytes)).isEqualTo(record.eventTime());
    handedOver.add(record.eventTime());
  }

  private void assertAged(final String id, final long t, final byte[] whole) {
    final byte[] now = repository.get(id);
    assertThat(now).as(id).isNotNull();
    assertThat(RepositoryCodec.vectorLength(now)).as(id).isEqualTo(AGED_LENGTH);
    assertThat(RepositoryCodec.decode(now).aged()).as(id).isTrue();
    assertThat(RepositoryCodec.eventTime(now)).as(id).isEqualTo(t);
    assertThat(now).as(id).isEqualTo(RepositoryCodec.age(whole, AGED_LENGTH));
    assertThat(tier(id, t)).as(id).containsExactly(RepositoryAgeing.AGED);
  }

  /**
   * An empty inference id makes the index key of time t equal to the scans' bound for t (the range end is
   * inclusive): a sketch exactly at a tier's bound is still not due, whatever its id.
   */
  @Test
  void aSketchOfAnEmptyIdExactlyAtATierBoundStaysInItsTier() {
    store("", M - FULL_FOR);
    store("newest", M);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();
    assertThat(RepositoryCodec.vectorLength(repository.get(""))).isEqualTo(D);
    assertThat(tier("", M - FULL_FOR)).containsExactly(RepositoryAgeing.FULL);
    ageing.saw(M - FULL_FOR + RETENTION); // now exactly at the retention bound: kept
    ageing.run();
    assertThat(repository.get("")).isNotNull();
    assertThat(handedOver).isEmpty();
  }

  @Test
  void aRunDeletesAtMostABatchOldestFirstAndTheNextRunTheRest() {
    store("d0", M - RETENTION - 30);
    store("d1", M - RETENTION - 20);
    store("d2", M - RETENTION - 10);
    store("newest", M);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(2, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();
    assertThat(repository.get("d0")).isNull();
    assertThat(repository.get("d1")).isNull();
    // the third waits for the next run, and is not aged meanwhile: the ageing tier starts at the retention bound
    assertThat(tier("d2", M - RETENTION - 10)).containsExactly(RepositoryAgeing.FULL);
    assertThat(RepositoryCodec.vectorLength(repository.get("d2"))).isEqualTo(D);
    assertThat(indexIds()).containsExactly("d2", "newest");
    ageing.run();
    assertThat(repository.get("d2")).isNull();
    assertThat(indexIds()).containsExactly("newest");
  }

  @Test
  void aRunAgesAtMostABatchAndTheNextRunsResumeWhereItStopped() {
    // three due for ageing, two of them at the same millisecond; batch 2
    store("a0", M - 3_000);
    store("a1", M - 2_000);
    store("a2", M - 2_000);
    store("b", M - 1_500);
    store("newest", M);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(2, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();
    assertThat(RepositoryCodec.vectorLength(repository.get("a0"))).isEqualTo(AGED_LENGTH);
    assertThat(RepositoryCodec.vectorLength(repository.get("a1"))).isEqualTo(AGED_LENGTH);
    assertThat(RepositoryCodec.vectorLength(repository.get("a2"))).isEqualTo(D);
    assertThat(RepositoryCodec.vectorLength(repository.get("b"))).isEqualTo(D);
    assertThat(tier("a2", M - 2_000)).containsExactly(RepositoryAgeing.FULL);
    // the next run resumes at the last aged time, so the one beside it at the same millisecond is not skipped
    ageing.run();
    assertThat(RepositoryCodec.vectorLength(repository.get("a2"))).isEqualTo(AGED_LENGTH);
    assertThat(RepositoryCodec.vectorLength(repository.get("b"))).isEqualTo(AGED_LENGTH);
    assertThat(tier("a2", M - 2_000)).containsExactly(RepositoryAgeing.AGED);
    assertThat(tier("b", M - 1_500)).containsExactly(RepositoryAgeing.AGED);
    assertThat(RepositoryCodec.vectorLength(repository.get("newest"))).isEqualTo(D);
  }

  @Test
  void aFullBatchDoesNotMarkTheWholeTierAsAged() {
    // exactly a batch (2) of entries due: the run cannot know whether more follow, so a later one is still aged
    store("a0", M - 3_000);
    store("a1", M - 2_500);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(2, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();
    // an entry indexed below the ageing bound after the run (written whole, at M - 2,000 > last aged time)
    store("late", M - 2_000);
    ageing.run();
    assertThat(RepositoryCodec.vectorLength(repository.get("late"))).isEqualTo(AGED_LENGTH);
    assertThat(tier("late", M - 2_000)).containsExactly(RepositoryAgeing.AGED);
  }

  @Test
  void aTierBelowABatchIsDoneAndNotScannedAgain() {
    store("a0", M - 3_000);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(2, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();
    assertThat(RepositoryCodec.vectorLength(repository.get("a0"))).isEqualTo(AGED_LENGTH);
    // fewer than a batch were due: everything before M - 1,000 counts as aged and the next run starts there, so a
    // run's scan does not grow with the aged tier. (StatsProcessor never indexes a sketch whole behind that bound:
    // it stores a late one aged. This entry is put by hand only to see where the scan starts.)
    final byte[] whole = store("behind", M - 2_000);
    ageing.run();
    assertThat(repository.get("behind")).isEqualTo(whole);
    assertThat(tier("behind", M - 2_000)).containsExactly(RepositoryAgeing.FULL);
  }

  @Test
  void aStaleIndexEntryIsDroppedOrMarkedWithoutTouchingTheNewerSketchOfItsId() {
    // "x" was replaced by a sketch of a later time; its old index entry is past retention
    store("x", M - RETENTION - 1);
    final byte[] x = store("x", M);
    // "y" was replaced by a later sketch; its old index entry is in the ageing tier
    store("y", M - 2_000);
    final byte[] y = store("y", M - 10);
    // "z" has an index entry but no repository value (deleted by a tombstone meanwhile)
    timeIndex.put(TimeIndex.key(M - 2_000, "z"), new byte[] {RepositoryAgeing.FULL});
    final RepositoryAgeing ageing = new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();
    assertThat(repository.get("x")).isEqualTo(x);
    assertThat(tier("x", M - RETENTION - 1)).isNull();
    assertThat(handedOver).isEmpty(); // x's newer sketch stays, and nothing else was deleted
    assertThat(repository.get("y")).isEqualTo(y);
    assertThat(tier("y", M - 2_000)).containsExactly(RepositoryAgeing.AGED);
    assertThat(repository.get("z")).isNull();
    assertThat(tier("z", M - 2_000)).containsExactly(RepositoryAgeing.AGED);
  }

  @Test
  void anIndexEntryWithoutATierIsAged() {
    store("untiered", M - 2_000);
    timeIndex.put(TimeIndex.key(M - 2_000, "untiered"), new byte[0]);
    final RepositoryAgeing ageing = new RepositoryAgeing(config(10, 0.25), repository, timeIndex, this::deleting);
    ageing.saw(M);
    ageing.run();
    assertThat(RepositoryCodec.vectorLength(repository.get("untiered"))).isEqualTo(AGED_LENGTH);
    assertThat(tier("untiered", M - 2_000)).containsExactly(RepositoryAgeing.AGED);
  }
}
