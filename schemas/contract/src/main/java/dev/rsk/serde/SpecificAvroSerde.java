package dev.rsk.serde;

import dev.rsk.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Confluent-format Avro {@link Serde} for one generated class. The no-argument constructor serves
 * Kafka's reflective instantiation (e.g. {@code default.value.serde}); {@link #configure} then builds an
 * HTTP registry client from {@code schema.registry.url} and friends.
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final ConfluentAvroSerializer<T> serializer;
  private final ConfluentAvroDeserializer<T> deserializer;

  /** Reflective use: reads the class named by the writer schema. */
  public SpecificAvroSerde() {
    serializer = new ConfluentAvroSerializer<>();
    deserializer = new ConfluentAvroDeserializer<>();
  }

  public SpecificAvroSerde(final Class<T> type, final SchemaRegistryClient client, final boolean isKey) {
    serializer = new ConfluentAvroSerializer<>(client, isKey);
    deserializer = new ConfluentAvroDeserializer<>(client, type);
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
