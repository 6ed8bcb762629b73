package dev.rsk.stats.concepts;

import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.ConceptEventKind;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.streams.CommitHookStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters the sketches of the parameter keys routed to this task ({@link ConceptClusters}, one per key, held in
 * memory) and publishes concept events: EMERGED at once, GREW and FADED every {@link ConceptConfig#publishInterval}
 * of wall-clock time. The clusters changed since the last commit are written to {@link ConceptStores#CLUSTERS}
 * just before the commit ({@link CommitHookStore}), in the transaction that commits the inputs they cover; a
 * discarded task reloads them from the store. A record that cannot be read is skipped and logged.
 */
final class ConceptProcessor implements Processor<String, byte[], String, ConceptEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(ConceptProcessor.class);
  private static final char SEP = '\0';

  private final ConceptConfig config;
  private final Map<String, ConceptClusters> keys = new HashMap<>();
  private final Map<String, SketchSpec> specs = new HashMap<>();
  private final Map<String, Long> newest = new HashMap<>();
  /** Concepts (key, id) that gained members since the last publication. */
  private final Set<KeyValue<String, String>> grown = new LinkedHashSet<>();
  private ProcessorContext<String, ConceptEvent> context;
  private KeyValueStore<String, byte[]> store;
  private CommitHookStore hook;

  ConceptProcessor(final ConceptConfig config) {
    this.config = config;
  }

  @Override
  public void init(final ProcessorContext<String, ConceptEvent> ctx) {
    this.context = ctx;
    this.store = ctx.getStateStore(ConceptStores.CLUSTERS);
    this.hook = ctx.getStateStore(ConceptStores.COMMIT_HOOK);
    load();
    hook.listen(this::write, this::load);
    ctx.schedule(config.publishInterval(), PunctuationType.WALL_CLOCK_TIME, now -> publish());
  }

  @Override
  public void process(final Record<String, byte[]> record) {
    final ConceptInput in;
    try {
      in = ConceptInput.decode(record.value());
    } catch (RuntimeException e) {
      LOG.warn("skipping an unreadable concept input at key {}: {}", record.key(), e.toString());
      return;
    }
    final String key = record.key();
    specs.putIfAbsent(key, in.spec());
    final ConceptClusters clusters = keys.computeIfAbsent(key,
        k -> new ConceptClusters(k, config.params(), Long.MIN_VALUE, List.of()));
    final ConceptClusters.Assignment a = clusters.add(in.inferenceId(), in.eventTime(), in.sketch());
    newest.merge(key, in.eventTime(), Math::max);
    switch (a.change()) {
      case EMERGED -> forward(ConceptEventKind.EMERGED, a.cluster(), key, in.eventTime());
      case REVIVED, JOINED -> {
        if (a.cluster().state().concept()) {
          grown.add(KeyValue.pair(key, a.cluster().id()));
        }
      }
      default -> { }
    }
  }

  /** GREW for the concepts that gained members, FADED for those without members for the fade period. */
  private void publish() {
    for (final KeyValue<String, String> g : grown) {
      final ConceptClusters clusters = keys.get(g.key);
      final MicroCluster c = clusters == null ? null : clusters.cluster(g.value);
      if (c != null) {
        forward(ConceptEventKind.GREW, c, g.key, c.lastSeen());
      }
    }
    grown.clear();
    keys.forEach((key, clusters) -> {
      final Long now = newest.get(key);
      if (now != null) {
        clusters.fade(now).forEach(c -> forward(ConceptEventKind.FADED, c, key, now));
      }
    });
  }

  private void forward(final ConceptEventKind kind, final MicroCluster c, final String key, final long time) {
    final SketchSpec spec = specs.get(key);
    if (spec == null) {
      return; // cannot happen: a key's spec is known from its first input or its stored meta entry
    }
    context.forward(new Record<>(c.id(), ConceptEvents.of(kind, c, spec), time));
  }

  /** Before each commit: the changed clusters and key entries to the store. */
  private void write() {
    for (final ConceptClusters clusters : keys.values()) {
      final String key = clusters.specKey();
      for (final String id : clusters.dirty()) {
        if (id.isEmpty()) {
          store.put(key + SEP, meta(clusters.origin(), specs.get(key)));
        } else {
          final MicroCluster c = clusters.cluster(id);
          if (c != null) {
            store.put(key + SEP + id, c.encode());
          }
        }
      }
      clusters.removed().forEach(id -> store.delete(key + SEP + id));
      clusters.clean();
    }
  }

  /**
   * (Re)loads every cluster of this task from the store: at init, and when the task's uncommitted work is discarded.
   */
  private void load() {
    keys.clear();
    specs.clear();
    grown.clear();
    final Map<String, List<MicroCluster>> byKey = new HashMap<>();
    final Map<String, Long> origins = new HashMap<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        final KeyValue<String, byte[]> kv = it.next();
        final int sep = kv.key.indexOf(SEP);
        final String key = kv.key.substring(0, sep);
        if (sep == kv.key.length() - 1) {
          final ByteBuffer b = ByteBuffer.wrap(kv.value);
          origins.put(key, b.getLong());
          specs.put(key, new SketchSpec(b.getInt(), b.getLong(), b.getDouble(), b.getDouble(), b.getInt()));
        } else {
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(MicroCluster.decode(kv.value));
        }
      }
    }
    origins.forEach((key, origin) -> keys.put(key,
        new ConceptClusters(key, config.params(), origin, byKey.getOrDefault(key, List.of()))));
    keys.forEach((key, clusters) -> clusters.clusters().forEach(c -> newest.merge(key, c.lastSeen(), Math::max)));
  }

  private static byte[] meta(final long origin, final SketchSpec spec) {
    return ByteBuffer.allocate(40).putLong(origin).putInt(spec.d()).putLong(spec.seed()).putDouble(spec.alpha())
        .putDouble(spec.beta()).putInt(spec.schemeVersion()).array();
  }

  @Override
  public void close() {
    if (hook != null) {
      hook.listen(null, null);
    }
  }
}
