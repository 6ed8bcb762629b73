package dev.rsk.api;

import dev.rsk.api.model.ConceptResponse;
import dev.rsk.api.model.ConceptsResponse;
import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.ConceptEventKind;
import dev.rsk.stats.concepts.ConceptEvents;
import dev.rsk.stats.concepts.ConceptQueries;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/concepts} and {@code GET /v1/concepts/{id}} from this instance's global concept view; the
 * centroid decoded by {@link SketchReader}, the decoder of {@code GET /v1/inferences/{id}}. When concept detection
 * is off (no concepts topic, or {@code rsk.concepts.enabled=false}), both answer 501 with the reason.
 */
final class ConceptService {

  static final List<String> STATES = List.of("emerged", "faded");

  private final ConceptQueries queries;
  private final String offReason;
  private final SketchReader reader;

  /** @param queries null when detection is off, with {@code offReason} saying why */
  ConceptService(final ConceptQueries queries, final String offReason, final SketchReader reader) {
    this.queries = queries;
    this.offReason = offReason;
    this.reader = reader;
  }

  /** @param state null for all, else one of {@link #STATES}, as {@link #state} gives it */
  ConceptsResponse concepts(final String state) {
    final List<ConceptResponse> out = on().all().stream()
        .map(e -> summary(e, null))
        .filter(c -> state == null || c.state().equals(state))
        .sorted(Comparator.comparing(ConceptResponse::emergedAt).reversed().thenComparing(ConceptResponse::id))
        .toList();
    return new ConceptsResponse(state, out);
  }

  ConceptResponse concept(final String id) {
    final ConceptEvent e = on().get(id).orElseThrow(() -> ApiException.notFound("no concept with id '" + id
        + "' (GET /v1/concepts lists them)"));
    final SketchReader.Reading r = reader.read(ConceptEvents.centroid(e));
    return summary(e, new ConceptResponse.Centroid(r.modules(), r.threshold(), r.presenceStdError(), r.structure(),
        r.structureFrom(), r.decoded(), r.stale()));
  }

  private ConceptQueries on() {
    if (queries == null) {
      throw new ApiException(501, "Not Implemented", "concept detection is off on this instance: " + offReason,
          null, null);
    }
    return queries;
  }

  private static ConceptResponse summary(final ConceptEvent e, final ConceptResponse.Centroid centroid) {
    final String state = e.getKind() == ConceptEventKind.FADED ? "faded" : "emerged";
    return new ConceptResponse(e.getConceptId(), state, e.getKind().name(), e.getSpecKey(),
        Json.params(ConceptEvents.spec(e)), e.getFirstSeen().toString(), e.getLastSeen().toString(),
        e.getEmergedAt().toString(), e.getSize(), e.getFirstMember(),
        e.getDaily().stream().map(d -> new ConceptResponse.Day(LocalDate.ofEpochDay(d.getEpochDay()).toString(),
            d.getMembers())).toList(),
        e.getEarlierMembers(), List.copyOf(e.getHours()),
        e.getExemplars().stream().map(x -> new ConceptResponse.Exemplar(x.getInferenceId(),
            x.getEventTime().toString(), x.getCosine())).toList(),
        centroid);
  }

  /** The lower-case state of a query parameter (null or blank: null); 400 if not one of {@link #STATES}. */
  static String state(final String raw) {
    final String state = raw == null || raw.isBlank() ? null : raw.trim().toLowerCase(Locale.ROOT);
    if (state != null && !STATES.contains(state)) {
      throw ApiException.badRequest("state must be one of " + STATES + ", got '" + state + "'");
    }
    return state;
  }
}
