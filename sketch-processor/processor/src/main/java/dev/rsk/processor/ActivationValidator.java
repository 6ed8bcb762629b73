package dev.rsk.processor;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.util.List;

/**
 * Checks of one activation that need no state: ids present, attributes finite and within the length
 * limit, inputs within the fan-out limit with valid weights, no object listing itself as an input.
 * Pure and stateless; O(attributes + inputs) per event.
 */
final class ActivationValidator {
  private final ProcessorConfig.Limits limits;

  ActivationValidator(final ProcessorConfig.Limits limits) {
    this.limits = limits;
  }

  /** Null if {@code ev} is acceptable, else why not. */
  Rejection check(final ModuleActivation ev) {
    final String id = ev.getObjectId();
    if (id == null || id.isEmpty()) {
      return new Rejection(RejectReason.INVALID_OBJECT, "objectId must not be empty");
    }
    if (ev.getModule() == null || ev.getModule().isEmpty()) {
      return new Rejection(RejectReason.INVALID_OBJECT, "object " + id + ": module must not be empty");
    }
    final List<Float> attributes = ev.getAttributes();
    if (attributes.size() > limits.maxAttributeLength()) {
      return new Rejection(RejectReason.LIMIT_EXCEEDED, "object " + id + " (module " + ev.getModule()
          + ") has " + attributes.size() + " attributes, over the limit of " + limits.maxAttributeLength()
          + " (" + ProcessorConfig.MAX_ATTRIBUTES + ")");
    }
    for (int i = 0; i < attributes.size(); i++) {
      final Float a = attributes.get(i);
      if (a == null || !Float.isFinite(a)) {
        return new Rejection(RejectReason.NON_FINITE_ATTRIBUTE, "object " + id + " (module "
            + ev.getModule() + "): attribute " + i + " is " + a);
      }
    }
    final List<ModuleInput> inputs = ev.getInputs();
    if (inputs.size() > limits.maxFanOut()) {
      return new Rejection(RejectReason.LIMIT_EXCEEDED, "object " + id + " has " + inputs.size()
          + " inputs, over the fan-out limit of " + limits.maxFanOut() + " (" + ProcessorConfig.MAX_FAN_OUT + ")");
    }
    for (int i = 0; i < inputs.size(); i++) {
      final ModuleInput in = inputs.get(i);
      final String child = in.getObjectId();
      if (child == null || child.isEmpty()) {
        return new Rejection(RejectReason.INVALID_OBJECT, "object " + id + ": input " + i + " has no objectId");
      }
      if (child.equals(id)) {
        return new Rejection(RejectReason.CYCLE, "object " + id + " lists itself as input " + i);
      }
      final float w = in.getWeight();
      if (!Float.isFinite(w) || w < 0) {
        return new Rejection(RejectReason.INVALID_WEIGHT, "object " + id + ": input " + i + " (" + child
            + ") has weight " + w + "; weights must be finite and >= 0");
      }
    }
    return null;
  }
}
