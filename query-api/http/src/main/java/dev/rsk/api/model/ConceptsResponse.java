package dev.rsk.api.model;

import java.util.List;

/**
 * {@code GET /v1/concepts}: every concept this instance knows (each instance reads the whole concepts topic),
 * latest emerged first; without their decoded centroid (ask {@code /v1/concepts/{id}}).
 *
 * @param state the state asked for, or null for all
 */
public record ConceptsResponse(String state, List<ConceptResponse> concepts) {}
