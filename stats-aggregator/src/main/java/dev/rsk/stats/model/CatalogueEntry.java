package dev.rsk.stats.model;

/**
 * One module of the catalogue: every module ever seen in a stored sketch.
 *
 * @param module module name
 * @param firstSeen earliest event time (epoch ms) of an inference containing the module
 * @param lastSeen latest event time (epoch ms) of an inference containing the module
 * @param inferences inferences containing the module (exact; a replaced sketch is counted once)
 * @param objects objects of the module over all inferences (exact)
 * @param attributeLength the module's attribute length k (as last seen)
 */
public record CatalogueEntry(
    String module, long firstSeen, long lastSeen, long inferences, long objects, int attributeLength) {

  /** Merges the partial entries of two partitions of the same module. */
  public CatalogueEntry merge(final CatalogueEntry other) {
    return new CatalogueEntry(
        module,
        Math.min(firstSeen, other.firstSeen),
        Math.max(lastSeen, other.lastSeen),
        inferences + other.inferences,
        objects + other.objects,
        other.lastSeen > lastSeen ? other.attributeLength : attributeLength);
  }
}
