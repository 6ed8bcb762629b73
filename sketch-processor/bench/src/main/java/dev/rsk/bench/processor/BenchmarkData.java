package dev.rsk.bench.processor;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Synthetic inferences for the benchmark: a {@code scene} root over two entities (cat, dog or person),
 * each over parts, exactly {@value #OBJECTS} objects per inference, attribute lengths 2 to 8, objects
 * shuffled. Deterministic for a seed.
 */
public final class BenchmarkData {
  public static final int OBJECTS = 15;
  private static final String[] ENTITIES = {"cat", "dog", "person"};
  private static final String[] PARTS = {"eye", "eye", "ear", "tail", "paw", "paw"};

  private BenchmarkData() {}

  static int attributeLength(final String module) {
    return switch (module) {
      case "scene" -> 4;
      case "cat", "dog" -> 6;
      case "person" -> 8;
      case "eye" -> 3;
      default -> 2;
    };
  }

  /** The {@value #OBJECTS} events of one inference, in random order. */
  public static List<ModuleActivation> inference(final String id, final Random random, final Instant eventTime) {
    final List<ModuleActivation> out = new ArrayList<>(OBJECTS);
    final List<String> entities = new ArrayList<>();
    for (int e = 0; e < 2; e++) {
      final String eid = "e" + e;
      final List<String> parts = new ArrayList<>();
      for (int p = 0; p < PARTS.length; p++) {
        final String pid = eid + ".p" + p;
        out.add(event(id, pid, PARTS[p], List.of(), false, random, eventTime));
        parts.add(pid);
      }
      out.add(event(id, eid, ENTITIES[random.nextInt(ENTITIES.length)], parts, false, random, eventTime));
      entities.add(eid);
    }
    out.add(event(id, "root", "scene", entities, true, random, eventTime));
    Collections.shuffle(out, random);
    return out;
  }

  private static ModuleActivation event(final String inferenceId, final String objectId, final String module,
      final List<String> inputs, final boolean root, final Random random, final Instant eventTime) {
    final int k = attributeLength(module);
    final List<Float> x = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      x.add((float) random.nextGaussian());
    }
    final List<ModuleInput> in = new ArrayList<>(inputs.size());
    for (final String c : inputs) {
      in.add(ModuleInput.newBuilder().setObjectId(c).setSlot(null).setWeight(0.5f + random.nextFloat()).build());
    }
    return ModuleActivation.newBuilder().setInferenceId(inferenceId).setObjectId(objectId).setModule(module)
        .setAttributes(x).setInputs(in).setRoot(root).setEventTime(eventTime).setSource("bench").build();
  }
}
