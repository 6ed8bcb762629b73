package dev.rsk.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleEdge;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.streams.CommitHookStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the network as observed ({@link StatsStores#NETWORK}) from the structure fields of the
 * {@code sketches} records: per module its k, the complete DAGs and objects it occurs in, how often it
 * is the root, its objects per depth, and per slot the input modules with their edge counts. Additive
 * and monotone: the processor emits each complete inference once (exactly-once), so every record with
 * structure is counted once; a record written twice to the topic by hand would count twice. Tombstones
 * do not unlearn. New modules and edges are visible to queries from the next commit.
 *
 * <p>Ignored: tombstones, records the stats processor rejects ({@link SketchRecords#invalidReason}, it
 * counts them), and records without structure of this build's version (older producers, incomplete
 * DAGs; a newer version is logged). A record whose structure contradicts its own counts is skipped with
 * a warning and counted in {@value StatsMetrics#NETWORK_SKIPPED}. Never throws for a record.
 *
 * <p>The learned deltas are kept in memory per module and merged into the store at the commit (a
 * {@link CommitHookStore}, inside the transaction that commits the input offsets they cover; dropped when the
 * task discards its uncommitted state), so a record costs map updates, and each module touched in a commit
 * interval one read and one write, not one per record (it was five changelog records per sketch).
 */
final class NetworkProcessor implements Processor<String, CheckedSketch, Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(NetworkProcessor.class);

  /** Pending modules beyond which the deltas are written before the commit (still inside its transaction). */
  static final int MAX_PENDING = 10_000;

  private final StatsMetrics metrics;
  private final StoreChanges changes;
  /** Module to what the records since the last commit add to it. */
  private final Map<String, Delta> pending = new HashMap<>();
  private KeyValueStore<String, NetworkEntry> network;
  private CommitHookStore hook;
  private int partition;

  /** {@code changes} moves while the learned deltas are written (the stats answers' sum estimates read them). */
  NetworkProcessor(final StatsMetrics metrics, final StoreChanges changes) {
    this.metrics = metrics;
    this.changes = changes;
  }

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    partition = context.taskId().partition();
    network = context.getStateStore(StatsStores.NETWORK);
    hook = context.getStateStore(StatsTopology.NETWORK_COMMIT_HOOK);
    hook.listen(this::writePending, pending::clear);
  }

  private void writePending() {
    if (pending.isEmpty()) {
      return;
    }
    changes.beginWrite(partition);
    try {
      pending.forEach((module, delta) -> {
        final NetworkEntry old = network.get(module);
        final NetworkEntry learned = delta.entry(module);
        network.put(module, old == null ? learned : old.merge(learned));
      });
      pending.clear();
    } finally {
      changes.endWrite(partition);
    }
  }

  @Override
  public void close() {
    if (hook != null) {
      hook.listen(null, null);
    }
    pending.clear();
  }

  @Override
  public void process(final Record<String, CheckedSketch> record) {
    final CheckedSketch input = record.value();
    if (input == null || !input.valid()) { // checked once, when deserialized (CheckedSketch)
      return;
    }
    final InferenceSketch s = input.record();
    if (!input.carriesStructure()) {
      if (s.getStructureVersion() > NetworkStructure.VERSION) {
        LOG.warn("sketch {}: structure version {} is newer than this build's {}; not learned", s.getInferenceId(),
            s.getStructureVersion(), NetworkStructure.VERSION);
      }
      return;
    }
    final String invalid = input.structureInvalid();
    if (invalid != null) {
      metrics.networkSkipped();
      LOG.warn("sketch {}: structure not learned: {}", s.getInferenceId(), invalid);
      return;
    }
    final Map<String, Map<String, Map<String, Integer>>> bySlot = new HashMap<>();
    for (final ModuleEdge e : s.getEdges()) {
      bySlot.computeIfAbsent(e.getModule(), m -> new HashMap<>())
          .computeIfAbsent(e.getSlot(), x -> new HashMap<>()).merge(e.getInput(), e.getCount(), Integer::sum);
    }
    for (final Map.Entry<String, Integer> c : s.getModuleCounts().entrySet()) {
      if (c.getValue() <= 0) {
        continue;
      }
      final String module = c.getKey();
      final int k = s.getAttributeLengths().get(module);
      pending.computeIfAbsent(module, m -> new Delta()).add(k, c.getValue(), module.equals(s.getRootModule()),
          s.getModuleDepths().get(module), bySlot.getOrDefault(module, Map.of()));
    }
    if (pending.size() > MAX_PENDING) {
      writePending();
    }
  }

  /**
   * What the records of one commit interval add to a module, mutable (a {@link NetworkEntry#plus} per record
   * copied its maps); {@link #entry} is what {@code NetworkEntry.empty(module, k).plus(...)} of each would give.
   */
  private static final class Delta {
    private int k;
    private long inferences;
    private long objects;
    private long roots;
    private final TreeMap<Integer, Long> depths = new TreeMap<>();
    private final TreeMap<String, SortedMap<String, Long>> inputs = new TreeMap<>();

    void add(final int k, final int objects, final boolean root, final List<Integer> depthCounts,
        final Map<String, Map<String, Integer>> slotInputs) {
      this.k = k;
      inferences++;
      this.objects += objects;
      roots += root ? 1 : 0;
      if (depthCounts != null) {
        for (int t = 0; t < depthCounts.size(); t++) {
          if (depthCounts.get(t) > 0) {
            depths.merge(t, (long) depthCounts.get(t), Long::sum);
          }
        }
      }
      slotInputs.forEach((slot, m) -> m.forEach((input, n) ->
          inputs.computeIfAbsent(slot, x -> new TreeMap<>()).merge(input, (long) n, Long::sum)));
    }

    NetworkEntry entry(final String module) {
      return new NetworkEntry(module, k, inferences, objects, roots, depths, inputs);
    }
  }
}
