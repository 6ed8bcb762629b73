package dev.rsk.processor;

import dev.rsk.streams.CommitHookStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.processor.testing.ActivationDag;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.serde.WrongMagicByteException;
import dev.rsk.sketch.SketchSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A task starting over a pending store written earlier: readable objects resume their inference,
 * unreadable entries (a layout version from a newer release, an event that no longer decodes) go to
 * the DLQ at the first record or punctuation and leave the store, and the task keeps processing.
 * (TopologyTestDriver deletes its state directory when closed, so the restart is played with Kafka
 * Streams' MockProcessorContext.)
 */
class PendingRestoreTest {
  private static final byte[] NEWER_VERSION = {7, 1, 2, 3};
  private static final byte[] NOT_AVRO = "not avro".getBytes(StandardCharsets.UTF_8);

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final Serde<ModuleActivation> activations = AvroSerdes.specific(ModuleActivation.class, registry, false);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ProcessorConfig config = ProcessorConfig.builder().spec(SketchSpec.of(64, 1L, 0.5, 0.5)).build();
  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

  private <K, V> KeyValueStore<K, V> store(final KeyValueStore<K, V> s) {
    s.init(context.getStateStoreContext(), s);
    context.addStateStore(s);
    return s;
  }

  private static String header(final CapturedForward<?, ?> f, final String name) {
    return DeadLetters.header(f.record().headers(), name);
  }

  private KeyValueStore<Bytes, byte[]> pending;
  private byte[] child;

  /** A task starting over what an earlier run left: the root of "p", plus two entries this run cannot read. */
  private ActivationProcessor restart() {
    pending = store(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(ProcessorTopology.PENDING_STORE), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled().build());
    store(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ProcessorTopology.MODULE_LENGTHS_STORE),
        Serdes.String(), Serdes.Integer()).withLoggingDisabled().build());
    context.addStateStore(new CommitHookStore(ProcessorTopology.COMMIT_HOOK_STORE)); // callbacks only

    final ActivationDag dag = ActivationDag.builder("p").root("s", "scene", new float[] {1f}, "c")
        .object("c", "cat", new float[] {2f, 3f}).build();
    final byte[] root = activations.serializer().serialize("activations", dag.activations().get(0));
    child = activations.serializer().serialize("activations", dag.activations().get(1));
    pending.put(PendingCodec.key("p", "s"), PendingCodec.value(new Member(null, root, 3L, 900L)));
    pending.put(PendingCodec.key("p", "from-the-future"), NEWER_VERSION);
    pending.put(PendingCodec.key("q", "o"), PendingCodec.value(new Member(null, NOT_AVRO, 5L, 1_000L)));

    final ActivationProcessor processor = new ActivationProcessor(config, activations.deserializer(),
        new InferenceSketcher(config.spec(), config.limits().maxDepth()), new ProcessorMetrics(meters));
    context.setCurrentSystemTimeMs(50_000L);
    processor.init(context);
    // Nothing is forwarded from init (the sinks are not initialised yet): the first punctuation does it.
    assertThat(context.forwarded()).isEmpty();
    assertThat(pending.approximateNumEntries()).isEqualTo(3);
    return processor;
  }

  private void punctuate(final PunctuationType type, final long t) {
    context.scheduledPunctuators().stream().filter(p -> p.getType() == type)
        .findFirst().orElseThrow().getPunctuator().punctuate(t);
  }

  private List<String> dlqKeys() {
    return context.forwarded(ProcessorTopology.DLQ_SINK).stream()
        .map(f -> new String((byte[]) f.record().key(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void theFirstRecordAfterARestartDeadLettersTheUnreadableEntriesFirst() {
    final ActivationProcessor processor = restart();
    processor.process(new Record<>("p".getBytes(StandardCharsets.UTF_8), null, 2_000L)); // itself bad: a tombstone
    assertThat(dlqKeys()).as("the two unreadable entries, then the tombstone").containsExactly("p", "q", "p");
    assertThat(header(context.forwarded(ProcessorTopology.DLQ_SINK).get(2), DeadLetters.REASON))
        .isEqualTo("EMPTY_VALUE");
    assertThat(pending.approximateNumEntries()).isEqualTo(1);
    processor.close();
  }

  @Test
  void aStreamTimePunctuationAfterARestartDeadLettersTheUnreadableEntriesOnce() {
    final ActivationProcessor processor = restart();
    punctuate(PunctuationType.STREAM_TIME, 1_000L);
    assertThat(dlqKeys()).containsExactly("p", "q");
    punctuate(PunctuationType.STREAM_TIME, 2_000L);
    punctuate(PunctuationType.WALL_CLOCK_TIME, 51_000L);
    assertThat(dlqKeys()).as("not again").containsExactly("p", "q");
    assertThat(pending.approximateNumEntries()).isEqualTo(1);
    processor.close();
  }

  @Test
  void unreadablePendingEntriesGoToTheDlqAndTheRestResumes() {
    final ActivationProcessor processor = restart();
    punctuate(PunctuationType.WALL_CLOCK_TIME, 51_000L);

    final List<CapturedForward<?, ?>> dead = context.forwarded(ProcessorTopology.DLQ_SINK);
    assertThat(dead).hasSize(2);
    final CapturedForward<?, ?> future = dead.get(0);
    assertThat((byte[]) future.record().key()).isEqualTo("p".getBytes(StandardCharsets.UTF_8));
    assertThat((byte[]) future.record().value()).isEqualTo(NEWER_VERSION);
    assertThat(header(future, DeadLetters.REASON)).isEqualTo("DESERIALIZATION");
    assertThat(header(future, DeadLetters.EXCEPTION)).isEqualTo(PendingCodec.UnreadableEntryException.class.getName());
    assertThat(header(future, DeadLetters.OFFSET)).isEqualTo("-1");
    final CapturedForward<?, ?> garbage = dead.get(1);
    assertThat((byte[]) garbage.record().key()).isEqualTo("q".getBytes(StandardCharsets.UTF_8));
    assertThat((byte[]) garbage.record().value()).isEqualTo(NOT_AVRO);
    assertThat(garbage.record().timestamp()).isEqualTo(1_000L);
    assertThat(header(garbage, DeadLetters.EXCEPTION)).isEqualTo(WrongMagicByteException.class.getName());
    assertThat(header(garbage, DeadLetters.OFFSET)).isEqualTo("5");
    assertThat(header(garbage, DeadLetters.TOPIC)).isEqualTo("activations");
    assertThat(meters.get(ProcessorMetrics.DLQ).tags("reason", "DESERIALIZATION").counter().count()).isEqualTo(2);
    assertThat(pending.get(PendingCodec.key("p", "from-the-future"))).isNull();
    assertThat(pending.get(PendingCodec.key("q", "o"))).isNull();
    assertThat(meters.get(ProcessorMetrics.PENDING).gauge().value()).isEqualTo(1);

    context.resetForwards();
    processor.process(new Record<>("p".getBytes(StandardCharsets.UTF_8), child, 2_000L));
    final List<CapturedForward<?, ?>> out = context.forwarded(ProcessorTopology.SKETCHES_SINK);
    assertThat(out).hasSize(1);
    final InferenceSketch s = (InferenceSketch) out.get(0).record().value();
    assertThat(s.getInferenceId()).isEqualTo("p");
    assertThat(s.getComplete()).isTrue();
    assertThat(s.getObjectCount()).isEqualTo(2);
    assertThat(pending.approximateNumEntries()).isZero();
    assertThat(meters.get(ProcessorMetrics.PENDING).gauge().value()).isZero();
    processor.close();
  }
}
