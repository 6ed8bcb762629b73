package dev.rsk.api.model;

/** {@code /health} and {@code /ready}: status and the Kafka Streams state. */
public record HealthResponse(String status, String streamsState, String instance) {}
