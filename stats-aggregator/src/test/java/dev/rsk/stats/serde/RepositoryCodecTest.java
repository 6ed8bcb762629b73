package dev.rsk.stats.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.ModuleEdge;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.RepositoryRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RepositoryCodecTest {

  private static final SketchSpec SPEC = SketchSpec.of(64, 5L, 0.5, 0.5);

  private static InferenceSketch record(final boolean withSums, final boolean withEdges) {
    final List<Float> v = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      v.add((float) Math.sin(i));
    }
    return InferenceSketch.newBuilder().setInferenceId("x").setSource("cam-é").setEventTime(Instant.ofEpochMilli(1000))
        .setSketchedAt(Instant.ofEpochMilli(2000)).setParams(SketchMapper.params(SPEC)).setVector(v).setObjectCount(4)
        .setComplete(true).setMissingInputs(0)
        .setModuleCounts(Map.of("street", 1, "car", 2, "wheel", 1))
        .setAttributeLengths(Map.of("street", 0, "car", 2, "wheel", 1))
        .setAttributeSums(withSums ? Map.of("car", List.of(1.5, -2.25), "wheel", List.of(0.125)) : Map.of())
        .setAttributeSquares(withSums ? Map.of("car", List.of(3.0, 5.0), "wheel", List.of(0.5)) : Map.of())
        .setStructureVersion(withEdges ? NetworkStructure.VERSION : NetworkStructure.NONE)
        .setRootModule(withEdges ? "street" : "")
        .setEdges(withEdges ? List.of(new dev.rsk.avro.ModuleEdge("street", "0", "car", 2),
            new dev.rsk.avro.ModuleEdge("car", "wheel0", "wheel", 1)) : List.of())
        .build();
  }

  @Test
  void sumsAndEdgesRoundTripAndSurviveAgeing() {
    final InferenceSketch s = record(true, true);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    assertThat(bytes[0]).isEqualTo((byte) 6);
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.source()).isEqualTo("cam-é");
    assertThat(r.moduleCounts()).containsEntry("car", 2).containsEntry("wheel", 1);
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    assertThat(r.attributeSums().get("wheel")).containsExactly(0.125);
    assertThat(r.attributeSums()).doesNotContainKey("street");
    assertThat(r.edges()).containsExactly(new ModuleEdge("street", "0", "car", 2),
        new ModuleEdge("car", "wheel0", "wheel", 1));
    assertThat(RepositoryCodec.vectorLength(bytes)).isEqualTo(64);
    final byte[] aged = RepositoryCodec.age(bytes, 16);
    final RepositoryRecord a = RepositoryCodec.decode(aged);
    assertThat(a.sketch().length()).isEqualTo(16);
    assertThat(a.aged()).isTrue();
    assertThat(a.edges()).isEqualTo(r.edges());
    assertThat(a.attributeSums().get("car")).containsExactly(1.5, -2.25);
    final Sketch onlySketch = RepositoryCodec.sketch(aged);
    assertThat(onlySketch.vector()).containsExactly(a.sketch().vector());
  }

  /**
   * Structure describes complete DAGs only (the contract's {@code structureVersion}); a record that claims it but is
   * not complete keeps its sums and counts, not its edges, so that no query answers a path exactly from them.
   */
  @Test
  void anIncompleteRecordKeepsNoEdgesWhateverStructureItClaims() {
    final InferenceSketch s = InferenceSketch.newBuilder(record(true, true)).setComplete(false).setMissingInputs(1)
        .build();
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.edges()).isEmpty();
    assertThat(r.complete()).isFalse();
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    assertThat(new RepositoryView().reset(bytes).hasEdges()).isFalse();
  }

  /**
   * Queries trust edges to reach every object ({@code NetworkStructure#trustedEdges}): a record whose edges leave a
   * wheel unreached, or name a module it does not count, keeps its counts and sums but not its edges.
   */
  @Test
  void edgesThatContradictTheCountsAreNotKept() {
    final InferenceSketch good = record(true, true);
    final InferenceSketch twoWheels = InferenceSketch.newBuilder(good)
        .setModuleCounts(Map.of("street", 1, "car", 2, "wheel", 2)).build();
    final InferenceSketch ghostInput = InferenceSketch.newBuilder(good).setEdges(List.of(
        new dev.rsk.avro.ModuleEdge("street", "0", "car", 2), new dev.rsk.avro.ModuleEdge("car", "wheel0", "wheel", 1),
        new dev.rsk.avro.ModuleEdge("car", "x", "truck", 1))).build();
    for (final InferenceSketch s : List.of(twoWheels, ghostInput)) {
      final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
      final RepositoryRecord r = RepositoryCodec.decode(bytes);
      assertThat(r.edges()).as(s.getModuleCounts().toString()).isEmpty();
      assertThat(r.complete()).isTrue();
      assertThat(r.moduleCounts()).isEqualTo(s.getModuleCounts());
      assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    }
    final InferenceSketch twoWheelsReached = InferenceSketch.newBuilder(twoWheels).setEdges(List.of(
        new dev.rsk.avro.ModuleEdge("street", "0", "car", 2), new dev.rsk.avro.ModuleEdge("car", "wheel0", "wheel", 2)))
        .build();
    assertThat(RepositoryCodec.decode(RepositoryCodec.encode(twoWheelsReached, SketchMapper.sketch(good))).edges())
        .hasSize(2);
  }

  @Test
  void recordsWithoutSumsOrStructureKeepNeither() {
    final InferenceSketch s = record(false, false);
    final RepositoryRecord r = RepositoryCodec.decode(RepositoryCodec.encode(s, SketchMapper.sketch(s)));
    assertThat(r.attributeSums()).isEmpty();
    assertThat(r.edges()).isEmpty();
    assertThat(r.moduleCounts()).hasSize(3);
  }

  @Test
  void anotherFormatIsRefusedWithTheMigrationHint() {
    final InferenceSketch s = record(true, true);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    bytes[0] = 2;
    assertThatThrownBy(() -> RepositoryCodec.decode(bytes)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("replay");
  }

  @Test
  void onlyTheFirstExactDimsSumsAreKeptAndTheViewDecodesTheRest() {
    final InferenceSketch s = record(true, true);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s), 1);
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.attributeSums().get("car")).containsExactly(1.5);
    assertThat(r.attributeSums().get("wheel")).containsExactly(0.125);
    assertThat(r.attributeLengths()).containsEntry("car", 2);
    // one float32 less than the record with every sum (1.5 and -2.25 are float32 values)
    assertThat(RepositoryCodec.encode(s, SketchMapper.sketch(s)).length - bytes.length).isEqualTo(4);
    final RepositoryView view = new RepositoryView().reset(bytes);
    final byte[] car = "car".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(view.attributeSum(car, 0)).isEqualTo(1.5);
    assertThat(view.attributeSum(car, 1)).isNaN();
    assertThat(view.vectorLength()).isEqualTo(64);
    assertThat(RepositoryCodec.header(bytes).modules()).containsExactly("car", "street", "wheel");
    assertThat(RepositoryCodec.sketch(RepositoryCodec.age(bytes, 8)).length()).isEqualTo(8);
  }

  /** A format-3 record (a one-byte flag for all k sums) as the previous version wrote it, byte for byte. */
  @Test
  void aFormatThreeRecordIsStillRead() {
    final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(200);
    b.put((byte) 3).putInt(64).putLong(5L).putDouble(0.5).putDouble(0.5).putInt(SPEC.schemeVersion())
        .putLong(1000).putLong(2000).putInt(2).putInt(0).put((byte) 1).putInt(2);
    b.putShort((short) 1).put((byte) 'c');                        // source "c"
    b.putShort((short) 1);                                        // one module
    b.putShort((short) 3).put("car".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    b.putInt(2).putInt(2).put((byte) 1).putDouble(1.5).putDouble(-2.25); // count 2, k 2, both sums
    b.putShort((short) 0);                                        // no edges
    b.put((byte) dev.rsk.sketch.Sketches.INT8_FORMAT).putFloat(0.5f).put((byte) 2).put((byte) -4);
    final byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position());
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.moduleCounts()).containsExactly(Map.entry("car", 2));
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    assertThat(r.sketch().vector()).containsExactly(1.0f, -2.0f);
    assertThat(RepositoryCodec.vectorLength(bytes)).isEqualTo(2);
    assertThat(RepositoryCodec.header(bytes).modules()).containsExactly("car");
    final RepositoryView view = new RepositoryView().reset(bytes);
    assertThat(view.attributeSum("car".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1)).isEqualTo(-2.25);
    assertThat(view.sketch().vector()).containsExactly(1.0f, -2.0f);
  }

  /**
   * Format 6 byte for byte, written by hand: car's sums are float32 values (width 4), wheel's 0.1 is not (width 8);
   * street has no sums (count 0, no width byte); the flags byte 57 is 1 (complete, not stats-pinned).
   */
  @Test
  void formatSixStoresFloat32SumsWhenExactAndFloat64Otherwise() {
    final InferenceSketch s = InferenceSketch.newBuilder(record(true, false))
        .setAttributeSums(Map.of("car", List.of(1.5, -2.25), "wheel", List.of(0.1))).build();
    final Sketch sketch = SketchMapper.sketch(s);
    final byte[] bytes = RepositoryCodec.encode(s, sketch);
    final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(200);
    b.put((byte) 6).putInt(64).putLong(5L).putDouble(0.5).putDouble(0.5).putInt(SPEC.schemeVersion())
        .putLong(1000).putLong(2000).putInt(4).putInt(0).put((byte) 1).putInt(64);
    final byte[] src = "cam-é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    b.putShort((short) src.length).put(src).putShort((short) 3);             // source, three modules
    b.putShort((short) 3).put("car".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .putInt(2).putInt(2).putShort((short) 2).put((byte) 4).putFloat(1.5f).putFloat(-2.25f);
    b.putShort((short) 6).put("street".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .putInt(1).putInt(0).putShort((short) 0);
    b.putShort((short) 5).put("wheel".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .putInt(1).putInt(1).putShort((short) 1).put((byte) 8).putDouble(0.1);
    b.putShort((short) 0);                                                   // no edges
    final byte[] head = java.util.Arrays.copyOf(b.array(), b.position());
    assertThat(java.util.Arrays.copyOf(bytes, head.length)).containsExactly(head);
    assertThat(bytes.length - head.length).isEqualTo(dev.rsk.sketch.Sketches.INT8_HEADER_BYTES + 64);
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    assertThat(r.attributeSums().get("wheel")).containsExactly(0.1);
    final RepositoryView view = new RepositoryView().reset(bytes);
    assertThat(view.attributeSum("car".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1)).isEqualTo(-2.25);
    assertThat(view.attributeSum("wheel".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0)).isEqualTo(0.1);
    assertThat(view.vectorLength()).isEqualTo(64);
    assertThat(RepositoryCodec.header(bytes).vectorOffset()).isEqualTo(head.length);
    assertThat(RepositoryCodec.vectorLength(RepositoryCodec.age(bytes, 16))).isEqualTo(16);
  }

  /**
   * Byte 57 of format 6 is a flags byte: bit 0 complete, bit 1 stats-pinned. Hand-made: a complete record's byte
   * 57 is 1 and pinned 3; an incomplete one's 0 and pinned 2; every other byte stays.
   */
  @Test
  void theStatsPinnedFlagIsBitOneOfByteFiftySevenAndSurvivesAgeing() {
    final InferenceSketch s = record(true, true);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    final byte[] before = bytes.clone();
    assertThat(bytes[57]).isEqualTo((byte) 1);
    assertThat(RepositoryCodec.statsPinned(bytes)).isFalse();
    final byte[] pinned = RepositoryCodec.withStatsPinned(bytes);
    assertThat(bytes).containsExactly(before);                      // a copy: the argument is untouched
    assertThat(pinned[57]).isEqualTo((byte) 3);
    final byte[] expected = before.clone();
    expected[57] = 3;
    assertThat(pinned).containsExactly(expected);
    assertThat(RepositoryCodec.statsPinned(pinned)).isTrue();
    assertThat(RepositoryCodec.withStatsPinned(pinned)).containsExactly(expected); // idempotent
    final RepositoryRecord r = RepositoryCodec.decode(pinned);
    assertThat(r.complete()).isTrue();
    assertThat(r.objectCount()).isEqualTo(4);
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    final RepositoryView view = new RepositoryView().reset(pinned);
    assertThat(view.statsPinned()).isTrue();
    assertThat(view.count(utf8("car"))).isEqualTo(2);
    assertThat(new RepositoryView().reset(bytes).statsPinned()).isFalse();

    final byte[] aged = RepositoryCodec.age(pinned, 16);
    assertThat(RepositoryCodec.vectorLength(aged)).isEqualTo(16);
    assertThat(aged[57]).isEqualTo((byte) 3);
    assertThat(RepositoryCodec.statsPinned(aged)).isTrue();
    assertThat(RepositoryCodec.decode(aged).complete()).isTrue();
    assertThat(new RepositoryView().reset(aged).statsPinned()).isTrue();

    final InferenceSketch partial = InferenceSketch.newBuilder(s).setComplete(false).build();
    final byte[] open = RepositoryCodec.encode(partial, SketchMapper.sketch(partial));
    assertThat(open[57]).isEqualTo((byte) 0);
    final byte[] openPinned = RepositoryCodec.withStatsPinned(open);
    assertThat(openPinned[57]).isEqualTo((byte) 2);
    assertThat(RepositoryCodec.decode(openPinned).complete()).isFalse(); // bit 0 only, not "byte != 0"
    assertThat(RepositoryCodec.decode(open).complete()).isFalse();
  }

  @Test
  void theDuplicateCheckIgnoresOnlyTheStatsPinnedBit() {
    final InferenceSketch s = record(true, true);
    final byte[] fresh = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    final byte[] stored = RepositoryCodec.withStatsPinned(fresh);
    assertThat(java.util.Arrays.equals(fresh, stored)).isFalse();
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(fresh, stored)).isTrue();
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(stored, fresh)).isTrue();
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(fresh, fresh.clone())).isTrue();
    final byte[] incomplete = fresh.clone();
    incomplete[57] = 0;                                             // bit 0 differs: another record
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(fresh, incomplete)).isFalse();
    final byte[] otherObjects = stored.clone();
    otherObjects[52] ^= 1;                                          // low byte of objectCount (offset 49)
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(fresh, otherObjects)).isFalse();
    final byte[] lastByte = fresh.clone();
    lastByte[lastByte.length - 1] ^= 1;                             // the vector's last coordinate
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(stored, lastByte)).isFalse();
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(fresh, RepositoryCodec.age(stored, 16))).isFalse();
    // the aged duplicate check of the processor: a fresh encode aged to the stored length
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(RepositoryCodec.age(fresh, 16), RepositoryCodec.age(stored, 16)))
        .isTrue();
  }

  /**
   * A format-5 record as the previous version wrote it, byte for byte: byte 57 is the complete flag alone, sums
   * have a width byte. It is read; it has no stats-pinned flag and cannot be given one.
   */
  @Test
  void aFormatFiveRecordIsStillReadAndNeverStatsPinned() {
    final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(200);
    b.put((byte) 5).putInt(64).putLong(5L).putDouble(0.5).putDouble(0.5).putInt(SPEC.schemeVersion())
        .putLong(1000).putLong(2000).putInt(3).putInt(0).put((byte) 1).putInt(2);
    b.putShort((short) 1).put((byte) 'c');                        // source "c"
    b.putShort((short) 2);                                        // two modules
    b.putShort((short) 3).put(utf8("car"));
    b.putInt(2).putInt(3).putShort((short) 2).put((byte) 4).putFloat(1.5f).putFloat(-2.25f); // k 3, 2 float32 sums
    b.putShort((short) 3).put(utf8("dog"));
    b.putInt(1).putInt(1).putShort((short) 1).put((byte) 8).putDouble(0.1);               // k 1, 1 float64 sum
    b.putShort((short) 0);                                        // no edges
    b.put((byte) dev.rsk.sketch.Sketches.INT8_FORMAT).putFloat(0.5f).put((byte) 2).put((byte) -4);
    final byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position());
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.complete()).isTrue();
    assertThat(r.objectCount()).isEqualTo(3);
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    assertThat(r.attributeSums().get("dog")).containsExactly(0.1);
    assertThat(r.sketch().vector()).containsExactly(1.0f, -2.0f);
    assertThat(RepositoryCodec.header(bytes).modules()).containsExactly("car", "dog");
    assertThat(RepositoryCodec.vectorLength(bytes)).isEqualTo(2);
    assertThat(RepositoryCodec.statsPinned(bytes)).isFalse();
    assertThatThrownBy(() -> RepositoryCodec.withStatsPinned(bytes)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 5");
    final RepositoryView view = new RepositoryView().reset(bytes);
    assertThat(view.statsPinned()).isFalse();
    assertThat(view.attributeSum(utf8("car"), 1)).isEqualTo(-2.25);
    assertThat(view.attributeSum(utf8("dog"), 0)).isEqualTo(0.1);
    assertThat(view.attributeLength(utf8("car"))).isEqualTo(3);
    assertThat(view.attributeLength(utf8("dog"))).isEqualTo(1);
    assertThat(view.attributeLength(utf8("cat"))).isEqualTo(-1);
    // a format-5 value differing only at byte 57 is another record (format 5 has no stats-pinned bit)
    final byte[] other = bytes.clone();
    other[57] = 3;
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(bytes, other)).isFalse();
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(bytes, bytes.clone())).isTrue(); // the same bytes are
  }

  @Test
  void withStatsPinnedRefusesWhatIsNotAFormatSixRecord() {
    assertThatThrownBy(() -> RepositoryCodec.withStatsPinned(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    final byte[] four = new byte[80];
    four[0] = 4;
    assertThatThrownBy(() -> RepositoryCodec.withStatsPinned(four)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 4");
    assertThat(RepositoryCodec.statsPinned(new byte[3])).isFalse();
    // a format-6 value cut just before its flags byte (57) is no record: no flag, none to set, compared whole
    final byte[] cut = new byte[57];
    cut[0] = 6;
    assertThat(RepositoryCodec.statsPinned(cut)).isFalse();
    assertThatThrownBy(() -> RepositoryCodec.withStatsPinned(cut)).isInstanceOf(IllegalArgumentException.class);
    assertThat(RepositoryCodec.sameIgnoringStatsPinned(cut, cut.clone())).isTrue();
  }

  private static byte[] utf8(final String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A format-4 record (u16 sum count, float64 sums, no width byte) as the previous version wrote it. */
  @Test
  void aFormatFourRecordIsStillRead() {
    final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(200);
    b.put((byte) 4).putInt(64).putLong(5L).putDouble(0.5).putDouble(0.5).putInt(SPEC.schemeVersion())
        .putLong(1000).putLong(2000).putInt(3).putInt(0).put((byte) 1).putInt(2);
    b.putShort((short) 1).put((byte) 'c');                        // source "c"
    b.putShort((short) 2);                                        // two modules
    b.putShort((short) 3).put("car".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    b.putInt(2).putInt(3).putShort((short) 2).putDouble(1.5).putDouble(-2.25); // count 2, k 3, two sums
    b.putShort((short) 3).put("dog".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    b.putInt(1).putInt(1).putShort((short) 0);                    // count 1, k 1, no sums
    b.putShort((short) 0);                                        // no edges
    b.put((byte) dev.rsk.sketch.Sketches.INT8_FORMAT).putFloat(0.5f).put((byte) 2).put((byte) -4);
    final byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position());
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.moduleCounts()).containsExactly(Map.entry("car", 2), Map.entry("dog", 1));
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    assertThat(r.attributeSums()).doesNotContainKey("dog");
    assertThat(r.sketch().vector()).containsExactly(1.0f, -2.0f);
    assertThat(RepositoryCodec.vectorLength(bytes)).isEqualTo(2);
    assertThat(RepositoryCodec.header(bytes).modules()).containsExactly("car", "dog");
    final RepositoryView view = new RepositoryView().reset(bytes);
    assertThat(view.attributeSum("car".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1)).isEqualTo(-2.25);
    assertThat(view.attributeSum("car".getBytes(java.nio.charset.StandardCharsets.UTF_8), 2)).isNaN();
    assertThat(view.count("dog".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(1);
    assertThat(view.sketch().vector()).containsExactly(1.0f, -2.0f);
  }

  @Test
  void anUnknownSumWidthIsCorrupt() {
    final InferenceSketch s = record(true, false);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    // car's width byte follows its name, count, k and u16 sum count
    final int at = 62 + 2 + "cam-é".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2 + 2 + 3 + 4 + 4 + 2;
    assertThat(bytes[at]).isEqualTo((byte) 4);
    bytes[at] = 2;
    assertThatThrownBy(() -> RepositoryCodec.decode(bytes)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("width 2");
    assertThatThrownBy(() -> RepositoryCodec.header(bytes)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> new RepositoryView().reset(bytes).count("car".getBytes(
        java.nio.charset.StandardCharsets.UTF_8))).isInstanceOf(SerializationException.class);
  }

  /** The scans' readers check the format too: a foreign value is refused, not read as a sketch. */
  @Test
  void theScansReadersRefuseAForeignFormat() {
    final InferenceSketch s = record(false, false);
    final byte[] foreign = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    foreign[0] = 2;
    assertThatThrownBy(() -> RepositoryCodec.sketch(foreign)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("format 2");
    assertThatThrownBy(() -> RepositoryCodec.header(foreign)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("format 2");
  }

  /** The header lists the modules with at least one object: a module counted zero is stored but not present. */
  @Test
  void theHeaderLeavesOutAModuleCountedZero() {
    final InferenceSketch base = record(false, false);
    final InferenceSketch s = InferenceSketch.newBuilder(base)
        .setModuleCounts(Map.of("street", 1, "car", 0, "wheel", 1)).build();
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    assertThat(RepositoryCodec.decode(bytes).moduleCounts()).containsEntry("car", 0);
    assertThat(RepositoryCodec.header(bytes).modules()).containsExactly("street", "wheel");
  }

  /**
   * A record aged to one coordinate is whole (its header says so); one cut inside its sketch is corrupt. Ageing
   * a record already that short gives the same array back, which tells the ageing run there is nothing to write.
   */
  @Test
  void aOneCoordinateRecordIsWholeAndAgeingToItsLengthIsTheSameArray() {
    final InferenceSketch s = record(false, false);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    assertThat(RepositoryCodec.age(bytes, 64)).isSameAs(bytes);
    assertThat(RepositoryCodec.age(bytes, 65)).isSameAs(bytes);
    final byte[] one = RepositoryCodec.age(bytes, 1);
    final RepositoryCodec.Header h = RepositoryCodec.header(one);
    assertThat(h.length(one)).isEqualTo(1);
    assertThat(h.sketch(one).vector()).containsExactly(RepositoryCodec.decode(one).sketch().vector());
    assertThat(RepositoryCodec.age(one, 1)).isSameAs(one);
    final byte[] none = java.util.Arrays.copyOf(one, one.length - 1);
    assertThatThrownBy(() -> RepositoryCodec.header(none)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("no int8 sketch");
  }

  /** Strings are u16-length prefixed: a source of 65535 UTF-8 bytes is the longest stored. */
  @Test
  void aSourceOfAtMost65535BytesIsStored() {
    final InferenceSketch base = record(false, false);
    final InferenceSketch longest = InferenceSketch.newBuilder(base).setSource("s".repeat(0xFFFF)).build();
    assertThat(RepositoryCodec.decode(RepositoryCodec.encode(longest, SketchMapper.sketch(longest))).source())
        .hasSize(0xFFFF);
    final InferenceSketch over = InferenceSketch.newBuilder(base).setSource("s".repeat(0x10000)).build();
    assertThatThrownBy(() -> RepositoryCodec.encode(over, SketchMapper.sketch(over)))
        .hasMessageContaining("65535");
  }

  @Test
  void moreSumsThanTheAttributeLengthIsCorrupt() {
    final InferenceSketch s = record(true, false);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    // the modules are sorted: car (k 2) is first; its u16 sum count follows name, count and k
    final int at = 62 + 2 + "cam-é".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2 + 2 + 3 + 4 + 4;
    assertThat(bytes[at + 1]).isEqualTo((byte) 2);
    bytes[at + 1] = 3;
    assertThatThrownBy(() -> RepositoryCodec.decode(bytes)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> new RepositoryView().reset(bytes).count("car".getBytes(
        java.nio.charset.StandardCharsets.UTF_8))).isInstanceOf(SerializationException.class);
  }
}
