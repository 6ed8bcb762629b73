package dev.rsk.api.model;

import java.util.Map;

/** A stored InferenceSketch as JSON (internal route and part of the inference answer). */
public record StoredSketch(String inferenceId, String source, long eventTime, SketchParamsJson params,
    float[] vector, int objectCount, boolean complete, int missingInputs, Map<String, Integer> moduleCounts,
    Map<String, Integer> attributeLengths, long sketchedAt) {}
