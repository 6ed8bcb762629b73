package dev.rsk.serde;

import dev.rsk.registry.RegistryUnavailableException;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (specific or generic) in the Confluent wire format: magic byte {@code 0}, the
 * 4-byte big-endian schema id, then the Avro binary encoding. The schema goes under subject
 * {@code <topic>-key} or {@code <topic>-value}.
 *
 * <p>Configuration (Confluent names): {@code schema.registry.url} and the client keys of
 * {@link dev.rsk.registry.RegistryClientConfig}; {@code auto.register.schemas} (default true: register the
 * record's schema; false: the schema must already be registered under the subject, error 40403 otherwise);
 * {@code use.latest.version} (default false: with auto-registration off, write with the id of the subject's
 * latest version instead of looking the record's schema up); {@code avro.remove.java.properties} (default
 * <b>true</b>, unlike Confluent: register the schema without the generator's {@code avro.java.string}
 * properties, so that producers in other languages using the same {@code .avsc} share its id). Registry failures
 * surface as {@link RegistryUnavailableException} or {@link dev.rsk.registry.SchemaRegistryException}.
 */
public final class ConfluentAvroSerializer<T extends GenericContainer> implements Serializer<T> {

  static final byte MAGIC_BYTE = 0;

  private SchemaRegistryClient client;
  private boolean isKey;
  private boolean autoRegister = true;
  private boolean useLatestVersion;
  private boolean removeJavaProperties = true;
  /** Ids by subject and schema: one serializer may write to several topics, each with its own subject. */
  private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  /** For Kafka's reflective instantiation: {@link #configure} must follow. */
  public ConfluentAvroSerializer() {}

  /** With a given client; {@link #configure} may still set the other keys. */
  public ConfluentAvroSerializer(final SchemaRegistryClient client, final boolean isKey) {
    this.client = client;
    this.isKey = isKey;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    this.isKey = isKey;
    SerdeConfig.checkSubjectStrategy(configs, isKey);
    this.autoRegister = SerdeConfig.bool(configs, SerdeConfig.AUTO_REGISTER_SCHEMAS, true);
    this.useLatestVersion = SerdeConfig.bool(configs, SerdeConfig.USE_LATEST_VERSION, false);
    this.removeJavaProperties = SerdeConfig.bool(configs, SerdeConfig.REMOVE_JAVA_PROPERTIES, true);
    if (client == null) {
      client = new HttpSchemaRegistryClient(configs);
    }
  }

  @Override
  public byte[] serialize(final String topic, final T data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("ConfluentAvroSerializer used before configure()");
    }
    final Schema schema = data.getSchema();
    final String subject = SerdeConfig.subject(topic, isKey);
    final int id = ids.computeIfAbsent(new SubjectSchema(subject, schema), k -> schemaId(subject, schema));
    final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC_BYTE);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    // Buffered: a direct encoder writes each float to the stream separately (a sketch has thousands).
    final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForSchema(s)))
          .write(data, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot encode a " + schema.getFullName() + " for topic '" + topic
          + "' with schema id " + id + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private record SubjectSchema(String subject, Schema schema) {}

  private int schemaId(final String subject, final Schema recordSchema) {
    final Schema schema = removeJavaProperties ? JavaProperties.strip(recordSchema) : recordSchema;
    if (autoRegister) {
      return client.register(subject, schema);
    }
    if (useLatestVersion) {
      return client.latest(subject).id();
    }
    return client.lookup(subject, schema).id();
  }
}
