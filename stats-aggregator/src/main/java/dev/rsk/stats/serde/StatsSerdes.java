package dev.rsk.stats.serde;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.DayCounts;
import dev.rsk.stats.model.PresenceCounts;
import dev.rsk.stats.model.SketchSum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the internal store values. These formats live only in the stores and their changelogs
 * (internal topics); each starts with a format byte (or is fixed-size) so a later version can read
 * an older image. Corrupt bytes raise {@link SerializationException}.
 */
public final class StatsSerdes {

  private static final byte FORMAT = 1;

  private StatsSerdes() {}

  public static Serde<PresenceCounts> presenceCounts() {
    return of(
        v -> ByteBuffer.allocate(16).putLong(v.withModule()).putLong(v.objects()).array(),
        b -> {
          final ByteBuffer buf = ByteBuffer.wrap(b);
          return new PresenceCounts(buf.getLong(), buf.getLong());
        });
  }

  public static Serde<CatalogueEntry> catalogueEntry() {
    return of(
        v -> {
          final byte[] name = v.module().getBytes(StandardCharsets.UTF_8);
          return ByteBuffer.allocate(1 + 4 + name.length + 8 * 4 + 4)
              .put(FORMAT).putInt(name.length).put(name)
              .putLong(v.firstSeen()).putLong(v.lastSeen()).putLong(v.inferences()).putLong(v.objects())
              .putInt(v.attributeLength()).array();
        },
        b -> {
          final ByteBuffer buf = ByteBuffer.wrap(b);
          checkFormat(buf.get());
          final byte[] name = new byte[buf.getInt()];
          buf.get(name);
          return new CatalogueEntry(new String(name, StandardCharsets.UTF_8), buf.getLong(), buf.getLong(),
              buf.getLong(), buf.getLong(), buf.getInt());
        });
  }

  public static Serde<DayCounts> dayCounts() {
    return of(DayCounts::toBytes, DayCounts::fromBytes);
  }

  public static Serde<AttributeStats> attributeStats() {
    return of(AttributeStats::toBytes, AttributeStats::fromBytes);
  }

  public static Serde<SketchSum> sketchSum() {
    return of(
        v -> {
          final SketchSpec s = v.spec();
          final ByteBuffer buf = ByteBuffer.allocate(1 + 4 + 8 + 8 + 8 + 4 + 8 + 4 + 4 * v.sum().length)
              .put(FORMAT).putInt(s.d()).putLong(s.seed()).putDouble(s.alpha()).putDouble(s.beta())
              .putInt(s.schemeVersion()).putLong(v.count()).putInt(v.sum().length);
          buf.asFloatBuffer().put(v.sum());
          return buf.array();
        },
        b -> {
          final ByteBuffer buf = ByteBuffer.wrap(b);
          checkFormat(buf.get());
          final SketchSpec spec =
              new SketchSpec(buf.getInt(), buf.getLong(), buf.getDouble(), buf.getDouble(), buf.getInt());
          final long count = buf.getLong();
          final float[] sum = new float[buf.getInt()];
          buf.asFloatBuffer().get(sum);
          return new SketchSum(spec, count, sum);
        });
  }

  /**
   * Plain Avro binary of {@link InferenceSketch} (no registry, no schema id): the repository store is
   * internal, written and read by the same build's schema.
   */
  public static Serde<InferenceSketch> inferenceSketchBinary() {
    final SpecificDatumWriter<InferenceSketch> writer = new SpecificDatumWriter<>(InferenceSketch.class);
    final SpecificDatumReader<InferenceSketch> reader = new SpecificDatumReader<>(InferenceSketch.class);
    return of(
        v -> {
          try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 4 * v.getVector().size());
            out.write(FORMAT);
            final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(v, enc);
            enc.flush();
            return out.toByteArray();
          } catch (IOException e) {
            throw new SerializationException("cannot encode InferenceSketch", e);
          }
        },
        b -> {
          try {
            checkFormat(b[0]);
            final BinaryDecoder dec = DecoderFactory.get().binaryDecoder(b, 1, b.length - 1, null);
            return reader.read(null, dec);
          } catch (IOException e) {
            throw new SerializationException("corrupt stored InferenceSketch", e);
          }
        });
  }

  private static void checkFormat(final byte format) {
    if (format != FORMAT) {
      throw new SerializationException("unknown internal store format " + format);
    }
  }

  private static <T> Serde<T> of(final Function<T, byte[]> write, final Function<byte[], T> read) {
    return Serdes.serdeFrom(
        (topic, v) -> v == null ? null : write.apply(v),
        (topic, b) -> {
          if (b == null) {
            return null;
          }
          try {
            return read.apply(b);
          } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("corrupt internal store value: " + e.getMessage(), e);
          }
        });
  }
}
