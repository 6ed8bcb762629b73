package dev.rsk.api.model;

/**
 * A module of the catalogue. All counts exact (from the per-inference module counts).
 *
 * @param module module name
 * @param firstSeen earliest event time of an inference with the module (ISO-8601 instant)
 * @param lastSeen latest event time of an inference with the module (ISO-8601 instant)
 * @param inferences stored inferences containing the module (all time)
 * @param objects objects of the module (all time)
 * @param attributeLength the module's attribute length k
 */
public record ModuleInfo(String module, String firstSeen, String lastSeen, long inferences, long objects,
    int attributeLength) {}
