package dev.rsk.api.model;

/** Sketch parameters in JSON (the {@code params} of an InferenceSketch). */
public record SketchParamsJson(int d, long seed, double alpha, double beta, int schemeVersion) {}
