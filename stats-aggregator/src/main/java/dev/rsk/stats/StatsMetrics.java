package dev.rsk.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The stats topology's Micrometer meters, shared by every task of one topology (thread-safe: Micrometer
 * counters are). All are counters without tags; Prometheus adds {@code _total}. See docs/metrics.md.
 * <ul>
 *   <li>{@code rsk.stats.records.skipped}: sketch records not aggregated because they are invalid</li>
 *   <li>{@code rsk.stats.weak.attribute.observations}: module presences too weak (below
 *       {@link StatsProcessor#MIN_PRESENCE_SIGMAS} noise standard deviations) to decode attributes from</li>
 *   <li>{@code rsk.stats.estimated.attribute.observations}: attribute observations decoded from the sketch
 *       because the record carried no exact attribute sums</li>
 * </ul>
 * Several topologies built on one registry share the counters (Micrometer returns the registered meter).
 */
public final class StatsMetrics {
  public static final String RECORDS_SKIPPED = "rsk.stats.records.skipped";
  public static final String WEAK_OBSERVATIONS = "rsk.stats.weak.attribute.observations";
  public static final String ESTIMATED_OBSERVATIONS = "rsk.stats.estimated.attribute.observations";
  public static final String NETWORK_SKIPPED = "rsk.stats.network.structures.skipped";
  public static final String EDGES_DROPPED = "rsk.stats.repository.edges.dropped";

  private final Counter skipped;
  private final Counter weakObservations;
  private final Counter estimatedObservations;
  private final Counter networkSkipped;
  private final Counter edgesDropped;

  public StatsMetrics(final MeterRegistry registry) {
    skipped = Counter.builder(RECORDS_SKIPPED).description("Sketch records not aggregated (invalid)")
        .register(registry);
    weakObservations = Counter.builder(WEAK_OBSERVATIONS)
        .description("Module presences too weak to decode attributes from (below "
            + StatsProcessor.MIN_PRESENCE_SIGMAS + " sigma)")
        .register(registry);
    estimatedObservations = Counter.builder(ESTIMATED_OBSERVATIONS)
        .description("Attribute observations decoded from the sketch because the record carried no exact "
            + "attribute sums")
        .register(registry);
    networkSkipped = Counter.builder(NETWORK_SKIPPED)
        .description("Sketch records whose structure contradicts their counts (not learned by the network store)")
        .register(registry);
    edgesDropped = Counter.builder(EDGES_DROPPED)
        .description("Sketch records carrying structure stored without their edges (incomplete, contradicting their"
            + " counts, or not reaching every object), so their paths are decoded")
        .register(registry);
  }

  void edgesDropped() {
    edgesDropped.increment();
  }

  void networkSkipped() {
    networkSkipped.increment();
  }

  void recordSkipped() {
    skipped.increment();
  }

  void weakObservation() {
    weakObservations.increment();
  }

  void estimatedObservation() {
    estimatedObservations.increment();
  }
}
