package dev.rsk.stats.concepts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The store form of a {@link MicroCluster} (format byte first). */
final class MicroClusterCodec {

  private static final byte FORMAT = 1;

  private MicroClusterCodec() {}

  static byte[] encode(final MicroCluster c) {
    final float[] centroid = c.centroid();
    final Map<Long, Long> daily = c.daily();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 4 * centroid.length + 16 * daily.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(c.id());
      out.writeUTF(c.specKey());
      out.writeUTF(c.firstMember());
      out.writeLong(c.firstSeen());
      out.writeLong(c.lastSeen());
      out.writeLong(c.size());
      out.writeByte(c.state().ordinal());
      out.writeLong(c.emergedAt());
      out.writeInt(centroid.length);
      for (final float f : centroid) {
        out.writeFloat(f);
      }
      final long[] recent = c.recentTimes();
      out.writeInt(c.recentCapacity());
      out.writeInt(recent.length);
      for (final long t : recent) {
        out.writeLong(t);
      }
      out.writeInt(daily.size());
      for (final Map.Entry<Long, Long> e : daily.entrySet()) {
        out.writeLong(e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeLong(c.earlier());
      for (final long h : c.hours()) {
        out.writeLong(h);
      }
      out.writeInt(c.exemplars().size());
      for (final MicroCluster.Exemplar e : c.exemplars()) {
        out.writeUTF(e.inferenceId());
        out.writeLong(e.eventTime());
        out.writeDouble(e.cosine());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static MicroCluster decode(final byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readByte() != FORMAT) {
        throw new IllegalArgumentException("unknown micro-cluster format");
      }
      final String id = in.readUTF();
      final String key = in.readUTF();
      final String first = in.readUTF();
      final long firstSeen = in.readLong();
      final long lastSeen = in.readLong();
      final long size = in.readLong();
      final ConceptState state = ConceptState.values()[in.readByte()];
      final long emergedAt = in.readLong();
      final float[] centroid = new float[in.readInt()];
      for (int i = 0; i < centroid.length; i++) {
        centroid[i] = in.readFloat();
      }
      final int recentLimit = in.readInt();
      final int recentCount = in.readInt();
      if (recentLimit < 1 || recentCount < 0 || recentCount > recentLimit) {
        throw new IllegalArgumentException("member times " + recentCount + " beyond their limit " + recentLimit);
      }
      final long[] recent = new long[recentCount];
      for (int i = 0; i < recentCount; i++) {
        recent[i] = in.readLong();
      }
      final int days = in.readInt();
      final TreeMap<Long, Long> daily = new TreeMap<>();
      for (int i = 0; i < days; i++) {
        daily.put(in.readLong(), in.readLong());
      }
      final long earlier = in.readLong();
      final long[] hours = new long[24];
      for (int i = 0; i < 24; i++) {
        hours[i] = in.readLong();
      }
      final int n = in.readInt();
      final List<MicroCluster.Exemplar> exemplars = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        exemplars.add(new MicroCluster.Exemplar(in.readUTF(), in.readLong(), in.readDouble()));
      }
      return new MicroCluster(id, key, first, firstSeen, lastSeen, size, state, emergedAt, centroid, recent,
          recentCount, recentLimit, daily, earlier, hours, exemplars);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("corrupt micro-cluster", e);
    }
  }
}
