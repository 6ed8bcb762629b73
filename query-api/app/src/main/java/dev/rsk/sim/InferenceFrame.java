package dev.rsk.sim;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The objects of one inference while {@link RoomSimulator} builds it: ids, modules, attributes, depths and input
 * edges, indexed by the order objects were added (object 0 is the root). {@link #build} turns them into events, in
 * an order shuffled by the simulator's generator, and the content the ground truth counts.
 */
final class InferenceFrame {
  private final String inferenceId;
  private final Instant time;
  private final List<String> ids = new ArrayList<>();
  private final List<String> modules = new ArrayList<>();
  private final List<float[]> attributes = new ArrayList<>();
  private final List<List<ModuleInput>> inputs = new ArrayList<>();
  private final List<Integer> depths = new ArrayList<>();

  InferenceFrame(final String inferenceId, final Instant time) {
    this.inferenceId = inferenceId;
    this.time = time;
  }

  int add(final String id, final String module, final float[] attrs, final int depth) {
    ids.add(id);
    modules.add(module);
    attributes.add(attrs);
    inputs.add(new ArrayList<>());
    depths.add(depth);
    return ids.size() - 1;
  }

  void attributes(final int object, final float[] attrs) {
    attributes.set(object, attrs);
  }

  int depth(final int object) {
    return depths.get(object);
  }

  void link(final int parent, final int child, final String slot) {
    inputs.get(parent).add(new ModuleInput(ids.get(child), slot, 1.0f));
  }

  /**
   * The events (in a shuffled order) and the content of this inference; with {@code embedding > 0}, every object's
   * attributes are followed by that many floats of an embedding (see {@link #embedding}).
   */
  SimulatedInference build(final int index, final SplittableRandom rnd, final String source, final int embedding) {
    final List<ModuleActivation> events = new ArrayList<>(ids.size());
    final Map<String, double[]> sums = new LinkedHashMap<>();
    final Map<String, int[]> countAndDepth = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      final float[] a = embedding == 0 ? attributes.get(i)
          : embedding(attributes.get(i), modules.get(i), embedding, rnd);
      final List<Float> values = new ArrayList<>(a.length);
      final double[] sum = sums.computeIfAbsent(modules.get(i), m -> new double[a.length]);
      for (int j = 0; j < a.length; j++) {
        values.add(a[j]);
        sum[j] += a[j];
      }
      final int[] cd = countAndDepth.computeIfAbsent(modules.get(i), m -> new int[] {0, Integer.MAX_VALUE});
      cd[0]++;
      cd[1] = Math.min(cd[1], depths.get(i));
      events.add(new ModuleActivation(
          inferenceId, ids.get(i), modules.get(i), values, inputs.get(i), i == 0, time, source));
    }
    // Fisher-Yates with our own generator so the order is part of the deterministic output.
    for (int i = events.size() - 1; i > 0; i--) {
      Collections.swap(events, i, rnd.nextInt(i + 1));
    }
    final Map<String, InferenceContent.ModuleContent> content = new LinkedHashMap<>();
    countAndDepth.forEach((module, cd) -> {
      final double[] mean = sums.get(module);
      for (int j = 0; j < mean.length; j++) {
        mean[j] /= cd[0];
      }
      content.put(module, new InferenceContent.ModuleContent(cd[0], cd[1], mean));
    });
    return new SimulatedInference(index, inferenceId, List.copyOf(events),
        new InferenceContent(inferenceId, time, ids.size(), Collections.unmodifiableMap(content)));
  }

  /**
   * {@code attrs} followed by an embedding of {@code floats} values: the module's own direction (a fixed unit-norm
   * Gaussian vector drawn from the module's name, so every object of a module points about the same way, as a
   * detector's embeddings of one class do) plus independent noise of 0.03 per value (norm 0.34 at 128 floats) from
   * the simulator's generator: two objects of a module have a cosine of about 0.9.
   */
  private static float[] embedding(final float[] attrs, final String module, final int floats,
      final SplittableRandom rnd) {
    final float[] out = Arrays.copyOf(attrs, attrs.length + floats);
    final SplittableRandom direction = new SplittableRandom(module.hashCode());
    final double scale = 1.0 / Math.sqrt(floats);
    for (int j = 0; j < floats; j++) {
      out[attrs.length + j] = (float) (scale * direction.nextGaussian() + 0.03 * rnd.nextGaussian());
    }
    return out;
  }
}
