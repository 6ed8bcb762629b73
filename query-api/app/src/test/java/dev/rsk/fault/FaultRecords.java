package dev.rsk.fault;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The activation records the fault tests publish to {@code activations}: the i-th has event time {@code t0 + i}
 * seconds (or {@code t0 + i % wrap} seconds, so that a long run stays within one day of the tests' queries),
 * attributes {@code [i % 7, 1]} and the test's source.
 */
final class FaultRecords {

  private final Instant t0;
  private final String source;
  private final long wrapSeconds;

  FaultRecords(final Instant t0, final String source) {
    this(t0, source, Long.MAX_VALUE);
  }

  /** Event times {@code t0 + i % wrapSeconds} seconds; {@code wrapSeconds} positive. */
  FaultRecords(final Instant t0, final String source, final long wrapSeconds) {
    if (wrapSeconds <= 0) {
      throw new IllegalArgumentException("wrapSeconds must be positive, got " + wrapSeconds);
    }
    this.t0 = t0;
    this.source = source;
    this.wrapSeconds = wrapSeconds;
  }

  ProducerRecord<String, ModuleActivation> activation(final String id, final String objectId, final String module,
      final List<String> inputs, final boolean root, final int i) {
    final List<ModuleInput> in = new ArrayList<>();
    inputs.forEach(o -> in.add(ModuleInput.newBuilder().setObjectId(o).setSlot(null).setWeight(1f).build()));
    return new ProducerRecord<>("activations", id, ModuleActivation.newBuilder().setInferenceId(id)
        .setObjectId(objectId).setModule(module).setAttributes(List.of((float) (i % 7), 1f)).setInputs(in)
        .setRoot(root).setEventTime(t0.plusSeconds(i % wrapSeconds)).setSource(source).build());
  }

  /** Inference {@code id}: a scene root, with a cat input when {@code i % 3 == 0}; the number of cats sent. */
  int sceneWithACatEveryThird(final Producer<String, ModuleActivation> producer, final String id, final int i) {
    final boolean cat = i % 3 == 0;
    if (cat) {
      producer.send(activation(id, id + "-cat", "cat", List.of(), false, i));
    }
    producer.send(activation(id, id + "-root", "scene", cat ? List.of(id + "-cat") : List.of(), true, i));
    return cat ? 1 : 0;
  }
}
