package dev.rsk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.registry.SchemaRegistryException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

/** A reader with today's schema reads records written with an older, compatible version of it. */
class SchemaEvolutionTest {

  /** ModuleActivation as it was before the optional {@code source} field was added. */
  private static final Schema V1 = new Schema.Parser().parse("""
      {"type": "record", "name": "ModuleActivation", "namespace": "dev.rsk.avro", "fields": [
        {"name": "inferenceId", "type": "string"},
        {"name": "objectId", "type": "string"},
        {"name": "module", "type": "string"},
        {"name": "attributes", "type": {"type": "array", "items": "float"}},
        {"name": "inputs", "type": {"type": "array", "items": {"type": "record", "name": "ModuleInput", "fields": [
          {"name": "objectId", "type": "string"},
          {"name": "slot", "type": ["null", "string"], "default": null},
          {"name": "weight", "type": "float", "default": 1.0}]}}},
        {"name": "root", "type": "boolean", "default": false},
        {"name": "eventTime", "type": {"type": "long", "logicalType": "timestamp-millis"}}
      ]}""");

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @Test
  void todaysReaderReadsARecordWrittenWithTheOlderSchema() {
    final Schema inputV1 = V1.getField("inputs").schema().getElementType();
    final GenericRecord old = new GenericRecordBuilder(V1)
        .set("inferenceId", "inf-7").set("objectId", "eye-1").set("module", "eye")
        .set("attributes", List.of(1.5f))
        .set("inputs", List.of(new GenericRecordBuilder(inputV1).set("objectId", "px").build()))
        .set("root", false).set("eventTime", 1_700_000_000_000L)
        .build();
    final byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry, false).serialize("activations", old);

    final ModuleActivation read = new ConfluentAvroDeserializer<ModuleActivation>(registry, ModuleActivation.class)
        .deserialize("activations", bytes);

    assertThat(read.getInferenceId()).isEqualTo("inf-7");
    assertThat(read.getModule()).isEqualTo("eye");
    assertThat(read.getAttributes()).containsExactly(1.5f);
    assertThat(read.getInputs()).hasSize(1);
    assertThat(read.getInputs().get(0).getSlot()).isNull();
    assertThat(read.getInputs().get(0).getWeight()).isEqualTo(1.0f);
    assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(read.getSource()).as("field added later takes its default").isEqualTo("");
  }

  @Test
  void theRegistryAcceptsTodaysSchemaAfterTheOlderOneAsBackwardCompatible() {
    final int v1 = registry.register("activations-value", V1);
    final int v2 = registry.register("activations-value", ModuleActivation.getClassSchema());

    assertThat(v2).isNotEqualTo(v1);
    assertThat(registry.latest("activations-value").version()).isEqualTo(2);
  }

  /** InferenceSketch as it was before the exact attribute sums were carried beside the sketch. */
  private static Schema sketchWithoutAttributeSums() {
    final Schema today = InferenceSketch.getClassSchema();
    final Set<String> added = Set.of("attributeSums", "attributeSquares");
    final Schema old = Schema.createRecord(today.getName(), today.getDoc(), today.getNamespace(), false,
        today.getFields().stream().filter(f -> !added.contains(f.name())).map(f -> new Schema.Field(f, f.schema()))
            .toList());
    assertThat(old.getFields()).hasSize(today.getFields().size() - 2);
    return old;
  }

  @Test
  void aSketchFromAProducerWithoutAttributeSumsReadsWithEmptySumsAndIsBackwardCompatible() {
    final Schema old = sketchWithoutAttributeSums();
    final int v1 = registry.register("sketches-value", old);
    final int v2 = registry.register("sketches-value", InferenceSketch.getClassSchema());
    assertThat(v2).isNotEqualTo(v1);

    final InferenceSketch full = Records.sketch();
    final GenericRecordBuilder b = new GenericRecordBuilder(old);
    for (final Schema.Field f : old.getFields()) {
      b.set(f.name(), GenericData.get().deepCopy(f.schema(), full.get(f.name())));
    }
    final byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry, false).serialize("sketches", b.build());
    final InferenceSketch read = new ConfluentAvroDeserializer<InferenceSketch>(registry, InferenceSketch.class)
        .deserialize("sketches", bytes);

    assertThat(read.getModuleCounts()).isEqualTo(full.getModuleCounts());
    assertThat(read.getAttributeSums()).as("field added later takes its default").isEmpty();
    assertThat(read.getAttributeSquares()).isEmpty();
    assertThat(InferenceSketch.newBuilder(full).setAttributeSums(java.util.Map.of())
        .setAttributeSquares(java.util.Map.of()).build()).isEqualTo(read);
  }

  /** InferenceSketch as it was before the structure fields (version 0: no structure). */
  private static Schema sketchWithoutStructure() {
    final Schema today = InferenceSketch.getClassSchema();
    final Set<String> added = Set.of("structureVersion", "rootModule", "edges", "moduleDepths");
    final Schema old = Schema.createRecord(today.getName(), today.getDoc(), today.getNamespace(), false,
        today.getFields().stream().filter(f -> !added.contains(f.name())).map(f -> new Schema.Field(f, f.schema()))
            .toList());
    assertThat(old.getFields()).hasSize(today.getFields().size() - 4);
    assertThat(old.toString()).doesNotContain("ModuleEdge");
    return old;
  }

  @Test
  void aSketchFromAProducerWithoutStructureReadsAsVersionZeroAndIsBackwardCompatible() {
    final Schema old = sketchWithoutStructure();
    final int v1 = registry.register("sketches-value", old);
    final int v2 = registry.register("sketches-value", InferenceSketch.getClassSchema());
    assertThat(v2).isNotEqualTo(v1);

    final InferenceSketch full = Records.sketch();
    final GenericRecordBuilder b = new GenericRecordBuilder(old);
    for (final Schema.Field f : old.getFields()) {
      b.set(f.name(), GenericData.get().deepCopy(f.schema(), full.get(f.name())));
    }
    final byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry, false).serialize("sketches", b.build());
    final InferenceSketch read = new ConfluentAvroDeserializer<InferenceSketch>(registry, InferenceSketch.class)
        .deserialize("sketches", bytes);

    assertThat(read.getStructureVersion()).as("no structure carried").isZero();
    assertThat(read.getRootModule()).isEmpty();
    assertThat(read.getEdges()).isEmpty();
    assertThat(read.getModuleDepths()).isEmpty();
    assertThat(read.getAttributeSums()).isEqualTo(full.getAttributeSums());
    assertThat(InferenceSketch.newBuilder(full).setStructureVersion(0).setRootModule("")
        .setEdges(List.of()).setModuleDepths(java.util.Map.of()).build()).isEqualTo(read);
  }

  @Test
  void aNewRequiredFieldWithoutDefaultIsRejectedAsIncompatible() {
    registry.register("activations-value", ModuleActivation.getClassSchema());
    final Schema breaking = new Schema.Parser().parse(ModuleActivation.getClassSchema().toString()
        .replace("\"fields\":[{\"name\":\"inferenceId\"",
            "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},{\"name\":\"inferenceId\""));

    assertThatThrownBy(() -> registry.register("activations-value", breaking))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409))
        .hasMessageContaining("tenant");
  }

  @Test
  void aRecordWithoutASpecificClassReadsAsGeneric() {
    final byte[] bytes = new ConfluentAvroSerializer<ModuleActivation>(registry, false)
        .serialize("activations", Records.activation());
    final Object read = new ConfluentAvroDeserializer<Object>(registry, null).deserialize("activations", bytes);
    assertThat(read).isInstanceOf(ModuleActivation.class);

    final Schema other = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"Unknown\",\"namespace\":\"elsewhere\","
            + "\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
    final GenericRecord rec = new GenericData.Record(other);
    rec.put("x", 3);
    final byte[] otherBytes = new ConfluentAvroSerializer<GenericRecord>(registry, false).serialize("misc", rec);
    assertThat(new ConfluentAvroDeserializer<GenericRecord>(registry, null).deserialize("misc", otherBytes).get("x"))
        .isEqualTo(3);
  }
}
