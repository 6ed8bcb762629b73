package dev.rsk.api.model;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/network}: the network as observed in every complete DAG that carried its structure
 * (exact counts, gathered from every instance and merged).
 *
 * @param structureFormat the {@code structureVersion} of the {@code InferenceSketch} records learned from
 *     (records without structure, version 0, or of a version this build does not know, are not learned from)
 * @param version the learned wiring's version: a fingerprint of what the decoders use (every module with
 *     its k, the root modules, each (module, slot, input module) seen; not the counts), so it changes exactly
 *     when a new module, root or edge is learned and a new decoder is factored; null before anything is learned
 * @param inferences complete DAGs learned from (the sum of {@code rootModules})
 * @param modules every module seen in them, by name
 * @param rootModules module to the number of DAGs rooted at it
 * @param edges every (module, slot, input module) seen, with its number of object edges, sorted
 * @param instances which instance answered for which partitions
 * @param stale true when some partitions were answered from standby copies
 */
public record NetworkResponse(int structureFormat, String version, long inferences, List<Module> modules,
    Map<String, Long> rootModules, List<Edge> edges, List<InstanceStatus> instances, boolean stale) {

  /**
   * One module.
   *
   * @param attributeLength its attribute length k (as last seen)
   * @param inferences complete DAGs containing it
   * @param count its objects in them
   * @param depths depth below the root to the number of its objects reached at that depth (an object
   *     reached at several depths counts at each)
   */
  public record Module(String module, int attributeLength, long inferences, long count, Map<Integer, Long> depths) {}

  /** Objects of module {@code input} fed slot {@code slot} of {@code module} objects, {@code count} times. */
  public record Edge(String module, String slot, String input, long count) {}
}
