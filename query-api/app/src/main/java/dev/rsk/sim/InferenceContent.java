package dev.rsk.sim;

import java.time.Instant;
import java.util.Map;

/**
 * What one simulated inference really contained: per module the number of objects, the smallest depth at which the
 * module occurs (1 = direct input of the scene root) and the mean of its objects' attribute vectors, computed from
 * the float values actually published.
 */
public record InferenceContent(String inferenceId, Instant eventTime, int objects, Map<String, ModuleContent> modules) {

  /** Truth about one module in one inference. */
  public record ModuleContent(int count, int depth, double[] meanAttributes) {}

  public boolean contains(final String module) {
    return modules.containsKey(module);
  }

  public int count(final String module) {
    final ModuleContent m = modules.get(module);
    return m == null ? 0 : m.count();
  }
}
