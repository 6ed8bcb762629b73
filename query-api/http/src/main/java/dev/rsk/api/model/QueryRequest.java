package dev.rsk.api.model;

import java.util.List;

/** Body of {@code POST /v1/query} (system.md, "Memory queries"); every field optional. */
public record QueryRequest(String where, String from, String to, String bucket, String zone, List<String> select) {}
