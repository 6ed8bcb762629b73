package dev.rsk.processor;

import static dev.rsk.config.ConfigDefs.define;
import static dev.rsk.processor.ProcessorConfig.ACTIVATIONS_TOPIC;
import static dev.rsk.processor.ProcessorConfig.CLOSE_TIMEOUT_MS;
import static dev.rsk.processor.ProcessorConfig.COMPLETED_MEMORY;
import static dev.rsk.processor.ProcessorConfig.DLQ_TOPIC;
import static dev.rsk.processor.ProcessorConfig.GAP_CHECK_MS;
import static dev.rsk.processor.ProcessorConfig.GAP_MS;
import static dev.rsk.processor.ProcessorConfig.MAX_ATTRIBUTES;
import static dev.rsk.processor.ProcessorConfig.MAX_DEPTH;
import static dev.rsk.processor.ProcessorConfig.MAX_FAN_OUT;
import static dev.rsk.processor.ProcessorConfig.MAX_OBJECTS;
import static dev.rsk.processor.ProcessorConfig.MAX_PENDING;
import static dev.rsk.processor.ProcessorConfig.READY_FILE;
import static dev.rsk.processor.ProcessorConfig.SKETCHES_TOPIC;
import static dev.rsk.processor.ProcessorConfig.SKETCH_ALPHA;
import static dev.rsk.processor.ProcessorConfig.SKETCH_BETA;
import static dev.rsk.processor.ProcessorConfig.SKETCH_D;
import static dev.rsk.processor.ProcessorConfig.SKETCH_SEED;
import static dev.rsk.processor.ProcessorConfig.WALL_GAP_MS;

import dev.rsk.config.ConfigDefs;
import dev.rsk.config.Validators;
import dev.rsk.processor.ProcessorConfig.Limits;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.streams.RocksDbMemory;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor's keys, each declared once with its type, default, valid values and doc: {@link #OWN} are
 * the {@code rsk.*} keys, {@link #KAFKA} the Kafka keys the processor gives a default of its own. Never
 * changed after class initialisation; {@link ProcessorConfig#configDef()} hands out copies.
 */
final class ProcessorConfigDef {

  /** Group of the size limits, rendered as their own table in docs/processor.md. */
  static final String LIMITS = "Limits";

  static final ConfigDef OWN = own();
  static final ConfigDef KAFKA = kafka();

  private ProcessorConfigDef() {}

  private static ConfigDef own() {
    final ConfigDef d = new ConfigDef();
    final Range positive = Range.atLeast(1);
    define(d, "Topics", ACTIVATIONS_TOPIC, Type.STRING, "activations", Validators.nonBlank(), Importance.HIGH,
        "Input topic of ModuleActivation events, keyed by inference id.");
    define(d, "Topics", SKETCHES_TOPIC, Type.STRING, "sketches", Validators.nonBlank(), Importance.HIGH,
        "Output topic of InferenceSketch records, keyed by inference id.");
    define(d, "Topics", DLQ_TOPIC, Type.STRING, "activations-dlq", Validators.nonBlank(), Importance.HIGH,
        "Dead-letter topic: rejected events with the reason in headers. The three topics must differ.");
    define(d, "Sketch", SKETCH_D, Type.INT, SketchSpec.DEFAULT_D, Range.between(SketchSpec.MIN_D, SketchSpec.MAX_D),
        Importance.HIGH, "Sketch dimension; readout noise is about ‖s‖·√((k+1)/d). Written into every sketch.");
    define(d, "Sketch", SKETCH_SEED, Type.STRING, Validators.hex(SketchSpec.DEFAULT_SEED), Validators.longLiteral(),
        Importance.MEDIUM, "64-bit seed every matrix of the sketch derives from.");
    define(d, "Sketch", SKETCH_ALPHA, Type.DOUBLE, SketchSpec.DEFAULT_ALPHA, Range.atLeast(0.0), Importance.MEDIUM,
        "Weight of the identity copy of each input; alpha² + beta² must be at most 1.");
    define(d, "Sketch", SKETCH_BETA, Type.DOUBLE, SketchSpec.DEFAULT_BETA, Range.atLeast(0.0), Importance.MEDIUM,
        "Weight of the tagged (signed-permutation) copy of each input.");
    define(d, "Gap", GAP_MS, Type.LONG, 30_000L, positive, Importance.HIGH, "Stream-time gap in ms: an inference"
        + " whose first event is this much older than stream time is sketched from what arrived (incomplete).");
    define(d, "Gap", WALL_GAP_MS, Type.LONG, 60_000L, positive, Importance.MEDIUM, "Wall-clock gap in ms: an"
        + " inference first seen this long ago is sketched once its partition is quiet (no record for"
        + " rsk.gap.check.ms); while records flow, the stream-time gap decides.");
    define(d, "Gap", GAP_CHECK_MS, Type.LONG, 1_000L, positive, Importance.LOW,
        "How often both gaps are checked, in ms (punctuation interval).");
    define(d, LIMITS, MAX_OBJECTS, Type.INT, Limits.DEFAULT_MAX_OBJECTS, positive, Importance.MEDIUM,
        "Objects per inference; further objects go to the DLQ.");
    define(d, LIMITS, MAX_FAN_OUT, Type.INT, Limits.DEFAULT_MAX_FAN_OUT, positive, Importance.MEDIUM,
        "Inputs per object.");
    define(d, LIMITS, MAX_DEPTH, Type.INT, Limits.DEFAULT_MAX_DEPTH, positive, Importance.MEDIUM,
        "Longest chain of objects (a leaf counts 1); checked when sketching.");
    define(d, LIMITS, MAX_ATTRIBUTES, Type.INT, Limits.DEFAULT_MAX_ATTRIBUTE_LENGTH, positive, Importance.MEDIUM,
        "Attributes per object.");
    define(d, LIMITS, MAX_PENDING, Type.INT, Limits.DEFAULT_MAX_PENDING, positive, Importance.MEDIUM,
        "In-flight inferences per task (memory bound); over it, the oldest is sketched early as incomplete.");
    define(d, LIMITS, COMPLETED_MEMORY, Type.INT, 20_000, positive, Importance.LOW,
        "Recently sketched inferences remembered per task, to recognise late duplicates.");
    ConfigDefs.defineRocksDbMemory(d, LIMITS, RocksDbMemory.PROCESSOR_DEFAULT_BYTES);
    define(d, "Lifecycle", READY_FILE, Type.STRING, null, null, Importance.LOW,
        "A file written when Kafka Streams is RUNNING and deleted when it is not (a stale one from an earlier"
            + " run is deleted at start); empty for none.", "none");
    define(d, "Lifecycle", CLOSE_TIMEOUT_MS, Type.LONG, 30_000L, positive, Importance.LOW,
        "Bound on the clean shutdown, in ms.");
    return d;
  }

  private static ConfigDef kafka() {
    final ConfigDef d = new ConfigDef();
    final String k = ProcessorConfig.KAFKA_PREFIX;
    define(d, "Kafka", k + StreamsConfig.APPLICATION_ID_CONFIG, Type.STRING, ProcessorConfig.DEFAULT_APPLICATION_ID,
        null, Importance.HIGH, "Kafka Streams application id, the same on every processor instance.");
    define(d, "Kafka", k + StreamsConfig.PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
        null, Importance.MEDIUM, "Exactly once by default; override only knowingly.");
    define(d, "Kafka", k + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS,
        DlqProcessingExceptionHandler.class, null, Importance.LOW,
        "Unexpected processing failures (bugs) go to the DLQ instead of killing the thread; transient"
            + " infrastructure failures are rethrown.");
    // Without it Kafka Streams warns at every start; the processor has no global stores, so this only states
    // the intent: no record, global or not, may kill a thread.
    define(d, "Kafka", k + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, Type.BOOLEAN, true,
        null, Importance.LOW, "The processing exception handler also covers global stores (none today).");
    // Sketches are ~4 KB (d = 1024 floats): the 16 KB default batch holds 4 of them, and the broker's cost is
    // per request. 256 KB batches cut the CPU per event by a third in bench-processor.
    define(d, "Kafka", k + StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Type.INT,
        ProcessorConfig.DEFAULT_PRODUCER_BATCH_SIZE, null, Importance.LOW,
        "Kafka's default is 16 KB; a sketch is ~4 KB and the broker's cost is per request.");
    // the pending objects (with their attribute vectors) and the completed ids: compacted like the stats'
    return ConfigDefs.defineCompactedChangelogs(d);
  }
}
