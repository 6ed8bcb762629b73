package dev.rsk.serde;

import dev.rsk.registry.UnknownSchemaIdException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/** Each kind of bad input gets its own exception type and a message that says what is wrong. */
class DeserializationErrorsTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final Deserializer<ModuleActivation> deserializer =
      AvroSerdes.specific(ModuleActivation.class, registry, false).deserializer();
  private final byte[] good =
      AvroSerdes.specific(ModuleActivation.class, registry, false).serializer()
          .serialize("activations", Records.activation());

  @Test
  void jsonIsAWrongMagicByte() {
    final byte[] json = "{\"inferenceId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> deserializer.deserialize("activations", json))
        .isInstanceOf(WrongMagicByteException.class)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("0x7b").hasMessageContaining("activations");
  }

  @Test
  void anIdTheRegistryDoesNotKnowIsUnknownSchemaId() {
    final byte[] bytes = good.clone();
    bytes[4] = 99;
    assertThatThrownBy(() -> deserializer.deserialize("activations", bytes))
        .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.schemaId()).isEqualTo(99))
        .hasMessageContaining("99");
  }

  @Test
  void everyTruncationIsCorruptPayload() {
    for (int length = 0; length < good.length; length++) {
      final byte[] truncated = Arrays.copyOf(good, length);
      assertThatThrownBy(() -> deserializer.deserialize("activations", truncated))
          .as("truncated to %d bytes", length)
          .isInstanceOf(CorruptPayloadException.class);
    }
  }

  @Test
  void trailingBytesAreCorruptPayload() {
    final byte[] longer = Arrays.copyOf(good, good.length + 3);
    assertThatThrownBy(() -> deserializer.deserialize("activations", longer))
        .isInstanceOf(CorruptPayloadException.class).hasMessageContaining("trailing");
  }

  @Test
  void aRecordOfAnotherTypeIsRejectedNotMisread() {
    final byte[] sketch = AvroSerdes.specific(InferenceSketch.class, registry, false).serializer()
        .serialize("sketches", Records.sketch());
    assertThatThrownBy(() -> deserializer.deserialize("activations", sketch))
        .isInstanceOf(CorruptPayloadException.class).hasMessageContaining("InferenceSketch");
  }

  @Test
  void aTombstoneIsNull() {
    assertThat(deserializer.deserialize("activations", null)).isNull();
  }
}
