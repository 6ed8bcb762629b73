package dev.rsk.stats.concepts;

import dev.rsk.avro.ConceptDay;
import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.ConceptEventKind;
import dev.rsk.avro.ConceptExemplar;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The one mapping from a {@link MicroCluster} to its {@link ConceptEvent}. */
public final class ConceptEvents {

  private ConceptEvents() {}

  /** The event of {@code kind} carrying the cluster's whole current state. */
  public static ConceptEvent of(final ConceptEventKind kind, final MicroCluster c, final SketchSpec spec) {
    final List<ConceptDay> days = new ArrayList<>();
    c.daily().forEach((day, n) -> days.add(new ConceptDay(day, n)));
    final List<Long> hours = Arrays.stream(c.hours()).boxed().toList();
    final List<ConceptExemplar> exemplars = c.exemplars().stream()
        .map(e -> new ConceptExemplar(e.inferenceId(), Instant.ofEpochMilli(e.eventTime()), e.cosine())).toList();
    final byte[] centroid = Sketches.toInt8(new Sketch(spec, c.centroid()));
    return ConceptEvent.newBuilder().setConceptId(c.id()).setKind(kind).setSpecKey(c.specKey())
        .setD(spec.d()).setSeed(spec.seed()).setAlpha(spec.alpha()).setBeta(spec.beta())
        .setSchemeVersion(spec.schemeVersion()).setFirstMember(c.firstMember())
        .setFirstSeen(Instant.ofEpochMilli(c.firstSeen())).setLastSeen(Instant.ofEpochMilli(c.lastSeen()))
        .setEmergedAt(Instant.ofEpochMilli(c.emergedAt())).setSize(c.size()).setDaily(days)
        .setEarlierMembers(c.earlier()).setHours(hours).setExemplars(exemplars)
        .setCentroid(ByteBuffer.wrap(centroid)).build();
  }

  /** The sketch parameters of an event. */
  public static SketchSpec spec(final ConceptEvent e) {
    return new SketchSpec(e.getD(), e.getSeed(), e.getAlpha(), e.getBeta(), e.getSchemeVersion());
  }

  /** The centroid of an event as a sketch. */
  public static Sketch centroid(final ConceptEvent e) {
    final ByteBuffer b = e.getCentroid().duplicate();
    final byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return Sketches.fromInt8(spec(e), bytes);
  }
}
