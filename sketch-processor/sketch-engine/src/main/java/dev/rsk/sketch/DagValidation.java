package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks {@link ObjectDag} makes over the whole object set before compiling it: limits, duplicate
 * ids, one attribute length per module, missing inputs and cycles. Each failure is a {@link
 * SketchException} whose {@link Reason} is listed on {@link ObjectDag}. Stateless.
 */
final class DagValidation {
  private DagValidation() {}

  /**
   * The objects by id, in the given order, after the per-object checks.
   *
   * @throws SketchException {@link Reason#INVALID_OBJECT} (null collection or object), {@link
   *     Reason#LIMIT_EXCEEDED}, {@link Reason#DUPLICATE_OBJECT}, {@link
   *     Reason#ATTRIBUTE_LENGTH_MISMATCH}
   */
  static Map<String, SketchObject> byId(final Collection<SketchObject> objects) {
    if (objects == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "objects must not be null");
    }
    if (objects.size() > ObjectDag.MAX_OBJECTS) {
      throw new SketchException(
          Reason.LIMIT_EXCEEDED, objects.size() + " objects exceed the limit of " + ObjectDag.MAX_OBJECTS);
    }
    final Map<String, SketchObject> byId = new LinkedHashMap<>(objects.size() * 2);
    final Map<String, Integer> k = new HashMap<>();
    for (final SketchObject o : objects) {
      if (o == null) {
        throw new SketchException(Reason.INVALID_OBJECT, "null object");
      }
      if (byId.putIfAbsent(o.id(), o) != null) {
        throw new SketchException(Reason.DUPLICATE_OBJECT, "object id " + o.id() + " appears twice");
      }
      checkLimits(o);
      final Integer prev = k.putIfAbsent(o.module(), o.attributes().length);
      if (prev != null && prev != o.attributes().length) {
        throw new SketchException(
            Reason.ATTRIBUTE_LENGTH_MISMATCH,
            "module " + o.module() + " has " + prev + " attributes, but object " + o.id() + " has "
                + o.attributes().length);
      }
    }
    return byId;
  }

  private static void checkLimits(final SketchObject o) {
    if (o.inputs().size() > ObjectDag.MAX_INPUTS) {
      throw new SketchException(
          Reason.LIMIT_EXCEEDED,
          "object " + o.id() + " has " + o.inputs().size() + " inputs, limit " + ObjectDag.MAX_INPUTS);
    }
    if (o.attributes().length > ObjectDag.MAX_ATTRIBUTES) {
      throw new SketchException(
          Reason.LIMIT_EXCEEDED,
          "object " + o.id() + " has " + o.attributes().length + " attributes, limit "
              + ObjectDag.MAX_ATTRIBUTES);
    }
  }

  /**
   * Number of input references to absent objects.
   *
   * @throws SketchException {@link Reason#MISSING_INPUT} on the first one when {@code strict}
   */
  static int missingInputs(final Map<String, SketchObject> byId, final boolean strict) {
    int missing = 0;
    for (final SketchObject o : byId.values()) {
      for (final SketchInput e : o.inputs()) {
        if (!byId.containsKey(e.childId())) {
          if (strict) {
            throw new SketchException(
                Reason.MISSING_INPUT, "object " + o.id() + " references missing input " + e.childId());
          }
          missing++;
        }
      }
    }
    return missing;
  }

  /**
   * Iterative three-colour DFS over every object (a cycle anywhere is an error, reachable from the
   * root or not; iterative because DAGs may be deep).
   *
   * @throws SketchException {@link Reason#CYCLE}
   */
  static void checkAcyclic(final Map<String, SketchObject> byId) {
    final Map<String, Integer> state = new HashMap<>(byId.size() * 2); // 1 on stack, 2 done
    final ArrayList<SketchObject> stack = new ArrayList<>();
    final ArrayList<Integer> next = new ArrayList<>();
    for (final SketchObject start : byId.values()) {
      if (state.containsKey(start.id())) {
        continue;
      }
      stack.add(start);
      next.add(0);
      state.put(start.id(), 1);
      while (!stack.isEmpty()) {
        final int top = stack.size() - 1;
        final SketchObject o = stack.get(top);
        final int pos = next.get(top);
        if (pos < o.inputs().size()) {
          next.set(top, pos + 1);
          final String c = o.inputs().get(pos).childId();
          final SketchObject child = byId.get(c);
          if (child == null) {
            continue;
          }
          final Integer s = state.get(c);
          if (s == null) {
            state.put(c, 1);
            stack.add(child);
            next.add(0);
          } else if (s == 1) {
            throw new SketchException(
                Reason.CYCLE, "cycle through objects " + o.id() + " -> " + c);
          }
        } else {
          state.put(o.id(), 2);
          stack.remove(top);
          next.remove(top);
        }
      }
    }
  }
}
