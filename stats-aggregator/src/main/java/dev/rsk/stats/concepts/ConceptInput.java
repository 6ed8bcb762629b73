package dev.rsk.stats.concepts;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the clustering needs of one sketch, as it travels on the repartition topic keyed by the parameter key:
 * inference id, event time, the parameters and the vector in the engine's int8 form ({@link Sketches#toInt8},
 * about a quarter of the float32 size; the rounding moves a cosine by about 1e-4 at d = 1024).
 */
public record ConceptInput(String inferenceId, long eventTime, SketchSpec spec, byte[] int8) {

  private static final byte FORMAT = 1;

  /** The input of a valid record's sketch (validated and converted by the caller, {@code CheckedSketch}). */
  public static ConceptInput of(final String inferenceId, final long eventTime, final Sketch sketch) {
    return new ConceptInput(inferenceId, eventTime, sketch.spec(), Sketches.toInt8(sketch));
  }

  /** The sketch (dequantised). */
  public Sketch sketch() {
    return Sketches.fromInt8(spec, int8);
  }

  public byte[] encode() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + int8.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(inferenceId);
      out.writeLong(eventTime);
      out.writeInt(spec.d());
      out.writeLong(spec.seed());
      out.writeDouble(spec.alpha());
      out.writeDouble(spec.beta());
      out.writeInt(spec.schemeVersion());
      out.writeInt(int8.length);
      out.write(int8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads {@link #encode()}'s form; IllegalArgumentException (or the engine's exception) on anything else. */
  public static ConceptInput decode(final byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readByte() != FORMAT) {
        throw new IllegalArgumentException("unknown concept input format");
      }
      final String id = in.readUTF();
      final long t = in.readLong();
      final SketchSpec spec = new SketchSpec(in.readInt(), in.readLong(), in.readDouble(), in.readDouble(),
          in.readInt());
      final byte[] v = new byte[in.readInt()];
      in.readFully(v);
      return new ConceptInput(id, t, spec, v);
    } catch (IOException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("corrupt concept input", e);
    }
  }
}
