package dev.rsk.sim;

import dev.rsk.avro.ModuleActivation;
import java.util.List;

/**
 * One generated inference: its events in the (shuffled) order they are published, and the truth about its content.
 */
public record SimulatedInference(int index, String inferenceId, List<ModuleActivation> events,
    InferenceContent content) {}
