package dev.rsk.api.model;

import java.util.List;

/**
 * One instance that took part in answering a query.
 *
 * @param instance host:port of the instance (its {@code application.server})
 * @param partitions partitions of the sketches topic it answered for
 * @param status {@code ok}, {@code stale} (answered from a standby copy) or {@code unavailable}
 */
public record InstanceStatus(String instance, List<Integer> partitions, String status) {}
