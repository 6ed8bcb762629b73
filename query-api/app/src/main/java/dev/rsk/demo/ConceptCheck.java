package dev.rsk.demo;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.ConceptResponse;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.InferenceContent;
import dev.rsk.sim.Plant;
import dev.rsk.sim.SimulationConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * "Did a new kind of scene appear?": the concepts of {@code GET /v1/concepts} beside the planted scene of the
 * simulation ({@link Plant}). Passes when exactly one concept emerged, within {@value #MAX_DELAY} inferences of
 * the first planted one, with precision and recall of at least {@value #MIN_SHARE} against the plant. Membership is
 * read from the concept's counts per UTC day and hour: members in the plant's hours on or after its day are
 * planted scenes (the simulator shows the party at every inference of those hours), less any member on a day
 * before the plant (a conservative bound on the true positives). Needs the simulation's zone to be UTC.
 */
public final class ConceptCheck {

  static final int MAX_DELAY = 200;
  static final double MIN_SHARE = 0.8;
  /** Longest wait for the concept stream to catch up with the last planted inference. */
  static final Duration WAIT = Duration.ofSeconds(120);

  private final RskClient client;
  private final GroundTruth truth;
  private final SimulationConfig config;
  private final Duration wait;

  public ConceptCheck(final RskClient client, final GroundTruth truth) {
    this(client, truth, WAIT);
  }

  ConceptCheck(final RskClient client, final GroundTruth truth, final Duration wait) {
    this.client = client;
    this.truth = truth;
    this.config = truth.config();
    this.wait = wait;
  }

  /** The truth of the plant: the planted inferences, in order. */
  private List<InferenceContent> planted() {
    return truth.inferenceList().stream().filter(c -> config.planted(c.eventTime())).toList();
  }

  public Check check() {
    final String question = "Did a new kind of scene appear (emerging concepts)?";
    final Plant plant = config.plant();
    final List<InferenceContent> planted = planted();
    if (plant == null || planted.isEmpty() || !ZoneOffset.UTC.equals(config.zone().normalized())) {
      final List<ConceptResponse> concepts = client.concepts().concepts();
      return new Check(question, concepts.size() + " concepts", "nothing planted", "no concept", concepts.isEmpty(),
          List.of());
    }
    final List<ConceptResponse> concepts;
    try {
      concepts = await(planted.get(planted.size() - 1).eventTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Check(question, "interrupted", "-", "-", false, List.of());
    } catch (RskClientException e) {
      return new Check(question, "API error: " + e.getMessage(), "-", "-", false, List.of());
    }
    final LocalDate plantDay = config.start().atZone(ZoneOffset.UTC).toLocalDate().plusDays(plant.day());
    final Instant first = planted.get(0).eventTime();
    final String truthLine = String.format("%s planted from day %d (%s), %02d-%02d h each day: %,d inferences, the "
        + "first at %s", plant.kind(), plant.day(), plantDay, plant.fromHour(), plant.toHour(), planted.size(), first);
    final String tolerance = String.format("exactly one concept; emerged within %d inferences of the first planted"
        + " one; precision and recall >= %.1f", MAX_DELAY, MIN_SHARE);
    if (concepts.isEmpty()) {
      return new Check(question, "no concept", truthLine, tolerance, false, List.of());
    }
    final ConceptResponse best = concepts.stream().max(Comparator.comparingLong(c -> truePositives(c, plant,
        plantDay))).orElseThrow();
    final long tp = truePositives(best, plant, plantDay);
    final double precision = best.size() == 0 ? 0 : (double) tp / best.size();
    final double recall = (double) tp / planted.size();
    final Instant emerged = Instant.parse(best.emergedAt());
    final long delay = truth.inferenceList().stream()
        .filter(c -> c.eventTime().isAfter(first) && !c.eventTime().isAfter(emerged)).count();
    final boolean ok = concepts.size() == 1 && !emerged.isBefore(first) && delay <= MAX_DELAY
        && precision >= MIN_SHARE && recall >= MIN_SHARE;
    final List<String> details = new ArrayList<>();
    details.add(String.format("concept %s: emerged at %s, %d inferences after the first planted one; %,d members,"
        + " %,d of them in the planted hours (precision %.3f, recall %.3f)", best.id(), best.emergedAt(), delay,
        best.size(), tp, precision, recall));
    details.add("looks like (its centroid decoded, objects per member): " + looks(best.id()));
    for (final ConceptResponse other : concepts) {
      if (other != best) {
        details.add(String.format("another concept %s: %,d members from %s  <-- spurious", other.id(), other.size(),
            other.firstSeen()));
      }
    }
    return new Check(question, String.format("%d concept%s; %s after %d inferences, precision %.2f, recall %.2f",
        concepts.size(), concepts.size() == 1 ? "" : "s", best.id(), delay, precision, recall), truthLine, tolerance,
        ok, details);
  }

  /** Members in the plant's hours, less every member on a day before the plant. */
  static long truePositives(final ConceptResponse c, final Plant plant, final LocalDate plantDay) {
    long inHours = 0;
    for (int h = plant.fromHour(); h < plant.toHour(); h++) {
      inHours += c.membersByHour().get(h);
    }
    long before = c.earlierMembers();
    for (final ConceptResponse.Day d : c.sizePerDay()) {
      if (LocalDate.parse(d.day()).isBefore(plantDay)) {
        before += d.members();
      }
    }
    return Math.max(0, inHours - before);
  }

  private String looks(final String id) {
    final ConceptResponse c = client.concept(id);
    if (c.centroid() == null) {
      return "-";
    }
    final StringBuilder sb = new StringBuilder();
    for (final InferenceResponse.DecodedModule m : c.centroid().modules()) {
      if (m.depth() != null && m.depth() == 1) {
        sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%s %.1f", m.module(), m.count()));
      }
    }
    return sb.toString();
  }

  /**
   * The concepts once the stream has clustered the last planted inference (a concept's last member is it) and two
   * answers a publication interval apart agree; at most the wait ({@link #WAIT} by default).
   *
   * @throws RskClientException the API's error, when its last answer before the deadline was one
   */
  private List<ConceptResponse> await(final Instant lastPlanted) throws InterruptedException {
    final long deadline = System.nanoTime() + wait.toNanos();
    List<ConceptResponse> previous = null;
    while (true) {
      List<ConceptResponse> now;
      try {
        now = client.concepts().concepts();
      } catch (RskClientException e) {
        if (System.nanoTime() > deadline) {
          throw e; // not an empty answer: the demo says what the API said
        }
        now = null; // not ready yet
      }
      final boolean caughtUp = now != null && now.stream().anyMatch(c -> !Instant.parse(c.lastSeen())
          .isBefore(lastPlanted));
      if (caughtUp && sizes(now).equals(previous == null ? null : sizes(previous))) {
        return now;
      }
      if (now != null && System.nanoTime() > deadline) {
        return now;
      }
      previous = now;
      Thread.sleep(3_000);
    }
  }

  private static List<Long> sizes(final List<ConceptResponse> concepts) {
    return concepts.stream().map(ConceptResponse::size).toList();
  }
}
