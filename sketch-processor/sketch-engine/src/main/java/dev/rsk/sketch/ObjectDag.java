package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A validated object DAG of one inference, compiled for sketching: the objects reachable from the
 * root in an order where every input comes before the objects that use it (depth-first post-order,
 * which keeps few intermediate sketches alive).
 *
 * <p>Validation (all {@link SketchException}): duplicate ids ({@link Reason#DUPLICATE_OBJECT}),
 * cycles anywhere among the objects ({@link Reason#CYCLE}), a module whose attribute length differs
 * between objects ({@link Reason#ATTRIBUTE_LENGTH_MISMATCH}), an absent root ({@link
 * Reason#UNKNOWN_ROOT}), more than {@link #MAX_OBJECTS} objects, {@link #MAX_INPUTS} inputs on one
 * object or {@link #MAX_ATTRIBUTES} attributes ({@link Reason#LIMIT_EXCEEDED}). NaN/infinite
 * attributes and bad weights are already rejected by {@link SketchObject} and {@link SketchInput}.
 * Objects not reachable from the root are validated but do not enter the sketch. The checks over
 * the whole object set live in {@code DagValidation}.
 */
public final class ObjectDag {
  /** Module of the virtual root that {@link #partial} puts over several outputs. */
  public static final String VIRTUAL_ROOT_MODULE = "_root";
  /** Id of the virtual root object. */
  public static final String VIRTUAL_ROOT_ID = "_root";
  /** Slot on which every output hangs under the virtual root. */
  public static final String VIRTUAL_ROOT_SLOT = "0";
  /** Most objects in one inference. */
  public static final int MAX_OBJECTS = 1_000_000;
  /** Most inputs of one object. */
  public static final int MAX_INPUTS = 65_536;
  /** Most attributes of one object ({@code k_M}). */
  public static final int MAX_ATTRIBUTES = 4_096;

  private final String rootId;
  private final int missingInputs;
  private final int unreachable;
  private final boolean virtualRoot;
  // compiled form, index = position in the children-first order; the root is last
  final String[] modules;
  final float[][] attributes;
  final int[][] children;
  final String[][] slots;
  final float[][] weights;
  /** Number of input edges pointing at each node (from reachable parents). */
  final int[] uses;
  final String[] ids;
  private final Map<String, Integer> moduleCounts;
  private final Map<String, Integer> attributeLengths;

  private ObjectDag(
      final String rootId, final int missingInputs, final int unreachable, final boolean virtualRoot,
      final List<SketchObject> order, final Map<String, Integer> index) {
    this.rootId = rootId;
    this.missingInputs = missingInputs;
    this.unreachable = unreachable;
    this.virtualRoot = virtualRoot;
    final int n = order.size();
    modules = new String[n];
    attributes = new float[n][];
    children = new int[n][];
    slots = new String[n][];
    weights = new float[n][];
    uses = new int[n];
    ids = new String[n];
    final Map<String, Integer> counts = new TreeMap<>();
    final Map<String, Integer> lengths = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      final SketchObject o = order.get(i);
      ids[i] = o.id();
      modules[i] = o.module().intern();
      attributes[i] = o.attributes();
      final List<SketchInput> in = o.inputs();
      int kept = 0;
      for (final SketchInput e : in) {
        if (index.containsKey(e.childId())) {
          kept++;
        }
      }
      children[i] = new int[kept];
      slots[i] = new String[kept];
      weights[i] = new float[kept];
      int j = 0;
      for (int pos = 0; pos < in.size(); pos++) {
        final SketchInput e = in.get(pos);
        final Integer c = index.get(e.childId());
        if (c == null) {
          continue;
        }
        children[i][j] = c;
        slots[i][j] = e.slot() == null ? String.valueOf(pos) : e.slot();
        weights[i][j] = e.weight();
        uses[c]++;
        j++;
      }
      if (!(virtualRoot && i == n - 1)) {
        counts.merge(o.module(), 1, Integer::sum);
        lengths.put(o.module(), o.attributes().length);
      }
    }
    moduleCounts = Collections.unmodifiableMap(counts);
    attributeLengths = Collections.unmodifiableMap(lengths);
  }

  /**
   * Strict: every referenced input present, acyclic, finite attributes, same k per module, rootId
   * present.
   *
   * @throws SketchException on any violation (see the class comment)
   */
  public static ObjectDag of(final Collection<SketchObject> objects, final String rootId) {
    if (rootId == null) {
      throw new SketchException(Reason.UNKNOWN_ROOT, "rootId must not be null in strict mode");
    }
    return build(objects, rootId, true);
  }

  /**
   * For inferences sketched after a gap: inputs that did not arrive are dropped and counted ({@link
   * #missingInputs()}); if {@code rootIdOrNull} is null a virtual root (module {@value
   * #VIRTUAL_ROOT_MODULE}, no attributes) is put over every object that is nobody's input, each on
   * slot {@value #VIRTUAL_ROOT_SLOT} with weight 1. Cycles, duplicates, length mismatches still
   * throw; a non-null root that is absent throws {@link Reason#UNKNOWN_ROOT}.
   */
  public static ObjectDag partial(final Collection<SketchObject> objects, final String rootIdOrNull) {
    return build(objects, rootIdOrNull, false);
  }

  private static ObjectDag build(
      final Collection<SketchObject> objects, final String rootIdOrNull, final boolean strict) {
    final Map<String, SketchObject> byId = DagValidation.byId(objects);
    final int missing = DagValidation.missingInputs(byId, strict);
    DagValidation.checkAcyclic(byId);
    final boolean virtual = rootIdOrNull == null;
    final SketchObject root;
    if (virtual) {
      root = virtualRoot(byId);
    } else {
      root = byId.get(rootIdOrNull);
      if (root == null) {
        throw new SketchException(Reason.UNKNOWN_ROOT, "root object " + rootIdOrNull + " is absent");
      }
    }
    final Map<String, Integer> index = new HashMap<>();
    final List<SketchObject> order = postOrder(root, byId, index);
    final int reachable = virtual ? order.size() - 1 : order.size();
    return new ObjectDag(
        virtual ? null : root.id(), missing, byId.size() - reachable, virtual, order, index);
  }

  /** A virtual root over every object that is nobody's input, each on slot 0 with weight 1. */
  private static SketchObject virtualRoot(final Map<String, SketchObject> byId) {
    final Set<String> referenced = new HashSet<>();
    for (final SketchObject o : byId.values()) {
      for (final SketchInput e : o.inputs()) {
        referenced.add(e.childId());
      }
    }
    final List<SketchInput> outputs = new ArrayList<>();
    // sorted ids: the virtual root's inputs do not depend on arrival order
    for (final String id : new TreeSet<>(byId.keySet())) {
      if (!referenced.contains(id)) {
        outputs.add(new SketchInput(id, VIRTUAL_ROOT_SLOT, 1f));
      }
    }
    if (byId.containsKey(VIRTUAL_ROOT_ID)) {
      throw new SketchException(
          Reason.DUPLICATE_OBJECT, "object id " + VIRTUAL_ROOT_ID + " is reserved for the virtual root");
    }
    return new SketchObject(VIRTUAL_ROOT_ID, VIRTUAL_ROOT_MODULE, new float[0], outputs);
  }

  /**
   * Depth-first post-order from the root (iterative: DAGs may be deep); fills {@code index} with
   * each object's position in the returned order.
   */
  private static List<SketchObject> postOrder(
      final SketchObject root, final Map<String, SketchObject> byId, final Map<String, Integer> index) {
    final List<SketchObject> order = new ArrayList<>();
    final ArrayList<SketchObject> stack = new ArrayList<>();
    final ArrayList<Integer> next = new ArrayList<>();
    stack.add(root);
    next.add(0);
    final Set<String> entered = new HashSet<>();
    entered.add(root.id());
    while (!stack.isEmpty()) {
      final int top = stack.size() - 1;
      final SketchObject o = stack.get(top);
      final int pos = next.get(top);
      if (pos < o.inputs().size()) {
        next.set(top, pos + 1);
        final String c = o.inputs().get(pos).childId();
        final SketchObject child = byId.get(c);
        if (child != null && entered.add(c)) {
          stack.add(child);
          next.add(0);
        }
      } else {
        stack.remove(top);
        next.remove(top);
        index.put(o.id(), order.size());
        order.add(o);
      }
    }
    return order;
  }

  /** Inputs referenced but absent (always 0 for {@link #of}). */
  public int missingInputs() {
    return missingInputs;
  }

  /** Objects reachable from the root (the virtual root not counted): the objects in the sketch. */
  public int size() {
    return virtualRoot ? modules.length - 1 : modules.length;
  }

  /** Objects given but not reachable from the root (they do not enter the sketch). */
  public int unreachable() {
    return unreachable;
  }

  /** The root id, or null when a virtual root was put over the outputs. */
  public String rootId() {
    return rootId;
  }

  /** Whether a virtual root was put over the outputs. */
  public boolean hasVirtualRoot() {
    return virtualRoot;
  }

  /** Module to number of objects in the sketch (virtual root excluded), sorted by module. */
  public Map<String, Integer> moduleCounts() {
    return moduleCounts;
  }

  /** Module to attribute length {@code k_M} (virtual root excluded), sorted by module. */
  public Map<String, Integer> attributeLengths() {
    return attributeLengths;
  }

  /**
   * Module to the exact sums of its objects' attribute vectors and squared attributes, over the same
   * objects as {@link #moduleCounts()} (virtual root excluded), sorted by module. One pass over the
   * compiled objects, computed on each call: the cost of one sketch's leaf step, no more.
   */
  public Map<String, AttributeMoments> attributeMoments() {
    return AttributeMoments.perModule(modules, attributes, size(), attributeLengths);
  }

  /** The module of the root object ({@value #VIRTUAL_ROOT_MODULE} for a virtual root). */
  public String rootModule() {
    return modules[modules.length - 1];
  }

  /**
   * The counted (module, slot, input module) edges of the DAG as sketched, the virtual root's included,
   * sorted; computed on each call (see {@code DagShape}).
   */
  public List<ModuleEdge> edges() {
    return DagShape.edges(this);
  }

  /**
   * Module to its object counts by depth below the root (index = depth, root at 0; a shared object
   * counts at each depth it is reached at), the virtual root included; sorted by module, fresh arrays
   * on each call (see {@code DagShape}).
   */
  public Map<String, int[]> moduleDepths() {
    return DagShape.moduleDepths(this);
  }

  /** Number of compiled nodes, the virtual root included. */
  int nodeCount() {
    return modules.length;
  }
}
