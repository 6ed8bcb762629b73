package dev.rsk.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import java.util.HexFormat;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact bytes of one record of each type in the Confluent wire format. The expected bytes were
 * derived by hand from the Avro spec (zig-zag varints, little-endian floats) and cross-checked with
 * Python's independent {@code avro} encoder; if this test fails, the wire contract changed.
 */
class WireFormatGoldenBytesTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @Test
  void moduleActivationBytesArePinned() {
    final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, registry, false);
    final byte[] expected = Records.hex(
        "00 00000001",                          // magic byte, schema id 1 (first registered)
        "0a 696e662d31",                        // inferenceId "inf-1": length 5 zig-zag = 0x0a
        "04 6f31",                              // objectId "o1"
        "06 636174",                            // module "cat"
        "04 0000003f 000000c0 00",              // attributes: block of 2, 0.5f, -2.0f (LE), end of array
        "02 04 6f32 02 08 6c656674 0000803e 00", // inputs: 1 item {objectId "o2", slot union #1 "left",
                                                 // weight 0.25f}, end
        "01",                                   // root true
        "d00f",                                 // eventTime 1000 ms: zig-zag 2000 as varint
        "0a 63616d2d31");                       // source "cam-1"

    final byte[] actual = serde.serializer().serialize("activations", Records.activation());

    assertThat(HexFormat.of().formatHex(actual)).isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(serde.deserializer().deserialize("activations", expected)).isEqualTo(Records.activation());
    assertThat(registry.latest("activations-value").schema())
        .isEqualTo(JavaProperties.strip(ModuleActivation.getClassSchema()));
    assertThat(registry.latest("activations-value").schema().toString()).doesNotContain("avro.java.string");
  }

  @Test
  void inferenceSketchBytesArePinned() {
    final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class, registry, false);
    final byte[] expected = Records.hex(
        "00 00000001",
        "0a 696e662d31",                        // inferenceId "inf-1"
        "0a 63616d2d31",                        // source "cam-1"
        "d00f",                                 // eventTime 1000 ms
        "08 54 000000000000e03f 000000000000e03f 02", // params: d 4, seed 42, alpha 0.5, beta 0.5 (LE doubles),
                                                      // scheme 1
        "08 0000803f 00000000 000000bf 0000803e 00", // vector: 4 floats 1, 0, -0.5, 0.25
        "06",                                   // objectCount 3
        "01",                                   // complete true
        "00",                                   // missingInputs 0
        "02 06636174 02 00",                    // moduleCounts {"cat": 1}
        "02 06636174 04 00",                    // attributeLengths {"cat": 2}
        "a01f",                                 // sketchedAt 2000 ms
        "02 06636174 04 000000000000e03f 00000000000000c0 00 00", // attributeSums {"cat": [0.5, -2.0]}
        "02 06636174 04 000000000000d03f 0000000000001040 00 00", // attributeSquares {"cat": [0.25, 4.0]}
        "02",                                   // structureVersion 1
        "06 636174",                            // rootModule "cat"
        "02 06636174 0230 06657965 04 00",      // edges [{cat, "0", eye, 2}]
        "02 06636174 02 02 00 00");             // moduleDepths {"cat": [1]}

    final byte[] actual = serde.serializer().serialize("sketches", Records.sketch());

    assertThat(HexFormat.of().formatHex(actual)).isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(serde.deserializer().deserialize("sketches", expected)).isEqualTo(Records.sketch());
  }

  @Test
  void oneSerializerWritingToTwoTopicsRegistersBothSubjects() {
    final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, registry, false);
    serde.serializer().serialize("activations", Records.activation());
    serde.serializer().serialize("replayed", Records.activation());

    assertThat(registry.latest("replayed-value").id()).isEqualTo(registry.latest("activations-value").id());
  }

  @Test
  void keySubjectsAreSeparateFromValueSubjects() {
    final Serde<ModuleActivation> keySerde = AvroSerdes.specific(ModuleActivation.class, registry, true);
    keySerde.serializer().serialize("activations", Records.activation());

    assertThat(registry.latest("activations-key").id()).isEqualTo(1);
  }
}
