package dev.rsk.serde;

import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Factories for Confluent-format Avro serdes. */
public final class AvroSerdes {
  private AvroSerdes() {}

  /**
   * A serde for {@code type} configured from Confluent property names ({@code schema.registry.url},
   * {@code auto.register.schemas}, basic auth, TLS, timeouts; see docs/foundation.md), talking to the
   * registry over HTTP.
   */
  public static <T extends SpecificRecord> Serde<T> specific(final Class<T> type, final Map<String, ?> config,
      final boolean isKey) {
    final SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, new HttpSchemaRegistryClient(config), isKey);
    serde.configure(config, isKey);
    return serde;
  }

  /** A serde for {@code type} over a given registry client (an in-memory one in unit tests), auto-registering. */
  public static <T extends SpecificRecord> Serde<T> specific(final Class<T> type, final SchemaRegistryClient client,
      final boolean isKey) {
    return new SpecificAvroSerde<>(type, client, isKey);
  }
}
