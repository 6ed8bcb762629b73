package dev.rsk.api.model;

import java.util.List;

/** An answer gathered from the instances holding the partitions: who answered how, and whether any part is stale. */
public interface GatheredAnswer {

  /** Which instances answered, for which partitions, how. */
  List<InstanceStatus> instances();

  /** True if some partition was answered from a standby copy. */
  boolean stale();
}
