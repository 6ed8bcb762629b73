package dev.rsk.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.Sketch;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One {@code sketches} record as every processor of the stats topology reads it, checked and converted once,
 * when it is deserialized: the Avro record, and either the engine {@link Sketch} (its vector a primitive array)
 * or why the record cannot be aggregated ({@link SketchRecords#invalidReason}). The stats, network, index and
 * concept processors share this one instance per record, so the 1,024 boxed floats of the Avro vector are walked
 * once per record, not once per check and conversion in each processor (JFR showed the checks twice and the
 * conversion twice per record, about 6% of the stream thread). The structure checks that the network and the
 * repository both need ({@link #structureInvalid}, {@link #edgesUntrusted}) are made here once as well.
 *
 * <p>Deserializing never fails on an invalid sketch: the stats processor rejects it, with the reason, to the
 * dead-letter topic as before; a payload the Avro deserializer cannot read still fails in the deserializer
 * (the deserialization exception handler's case). A tombstone deserializes to null.
 */
public final class CheckedSketch {

  private final InferenceSketch record;
  private final Sketch sketch;
  private final String invalidReason;
  private final boolean carriesStructure;
  private final String structureInvalid;
  private final String edgesUntrusted;

  private CheckedSketch(final InferenceSketch record, final Sketch sketch, final String invalidReason) {
    this.record = record;
    this.sketch = sketch;
    this.invalidReason = invalidReason;
    // the network learns from the structure and the repository keeps the edges: checked here, once for both
    this.carriesStructure = NetworkStructure.carries(record);
    this.structureInvalid = carriesStructure ? NetworkStructure.invalid(record) : null;
    this.edgesUntrusted = carriesStructure ? NetworkStructure.untrusted(record, structureInvalid) : null;
  }

  /** Checks and converts {@code record} (not null). */
  public static CheckedSketch of(final InferenceSketch record) {
    final float[] vector = SketchRecords.finite(record.getVector());
    final String invalid = SketchRecords.invalidReason(record, vector);
    return new CheckedSketch(record, invalid == null ? new Sketch(SketchMapper.spec(record.getParams()), vector)
        : null, invalid);
  }

  /** Whether the record carries a structure this build reads ({@link NetworkStructure#carries}). */
  public boolean carriesStructure() {
    return carriesStructure;
  }

  /**
   * Why the structure the record carries contradicts its counts ({@link NetworkStructure#invalid}), or null: also
   * for a record that carries none ({@link NetworkStructure#carries}).
   */
  public String structureInvalid() {
    return structureInvalid;
  }

  /**
   * Why queries may not trust the edges of the structure the record carries ({@link NetworkStructure#untrusted}),
   * or null: also for a record that carries none.
   */
  public String edgesUntrusted() {
    return edgesUntrusted;
  }

  /** The Avro record as read. */
  public InferenceSketch record() {
    return record;
  }

  /** Whether the record can be aggregated ({@link #invalidReason()} is null). */
  public boolean valid() {
    return invalidReason == null;
  }

  /** Why the record cannot be aggregated, or null. */
  public String invalidReason() {
    return invalidReason;
  }

  /** The engine sketch of a valid record (null for an invalid one); its vector is shared: do not modify it. */
  public Sketch sketch() {
    return sketch;
  }

  /** The serde of the stats topology's source: {@code avro} reads the record, then {@link #of} checks it. */
  public static Serde<CheckedSketch> serde(final Serde<InferenceSketch> avro) {
    final Serializer<InferenceSketch> ser = avro.serializer();
    final Deserializer<InferenceSketch> de = avro.deserializer();
    return Serdes.serdeFrom(new Serializer<>() {
      @Override
      public void configure(final Map<String, ?> configs, final boolean isKey) {
        ser.configure(configs, isKey);
      }

      @Override
      public byte[] serialize(final String topic, final CheckedSketch data) {
        return ser.serialize(topic, data == null ? null : data.record);
      }

      @Override
      public void close() {
        ser.close();
      }
    }, new Deserializer<>() {
      @Override
      public void configure(final Map<String, ?> configs, final boolean isKey) {
        de.configure(configs, isKey);
      }

      @Override
      public CheckedSketch deserialize(final String topic, final byte[] data) {
        final InferenceSketch s = de.deserialize(topic, data);
        return s == null ? null : of(s);
      }

      @Override
      public void close() {
        de.close();
      }
    });
  }
}
