package dev.rsk.serde;

import dev.rsk.registry.UnknownSchemaIdException;
import dev.rsk.registry.RegistryUnavailableException;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro records: magic byte {@code 0}, 4-byte big-endian schema id, Avro binary.
 * The writer schema is fetched by id from the registry (cached) and resolved against the reader schema:
 * the given specific class's schema, else the class generated for the writer's record name, else a
 * {@link org.apache.avro.generic.GenericRecord}. A null payload (tombstone) reads as null.
 *
 * <p>Errors, all {@link SerializationException}s so that a Kafka Streams deserialization handler sees them:
 * {@link WrongMagicByteException}, {@link UnknownSchemaIdException}, {@link CorruptPayloadException}
 * (shorter than the header, truncated, undecodable, trailing bytes, or a writer schema the reader cannot
 * resolve), {@link RegistryUnavailableException}.
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

  private static final int HEADER = 5;

  private SchemaRegistryClient client;
  private final Class<? extends SpecificRecord> type;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /**
   * For Kafka's reflective instantiation: reads whatever class the writer schema names; {@link #configure} must follow.
   */
  public ConfluentAvroDeserializer() {
    this(null, null);
  }

  /** Reads into {@code type} (null: the class the writer schema names, else generic records). */
  public ConfluentAvroDeserializer(final SchemaRegistryClient client, final Class<? extends SpecificRecord> type) {
    this.client = client;
    this.type = type;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    if (client == null) {
      client = new HttpSchemaRegistryClient(configs);
    }
  }

  @Override
  public T deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("ConfluentAvroDeserializer used before configure()");
    }
    if (data.length < HEADER) {
      if (data.length > 0 && data[0] != ConfluentAvroSerializer.MAGIC_BYTE) {
        throw new WrongMagicByteException(topic, data[0], data.length);
      }
      throw new CorruptPayloadException("Record on topic '" + topic + "' has " + data.length
          + " bytes, shorter than the 5-byte Confluent header (magic byte + schema id)");
    }
    if (data[0] != ConfluentAvroSerializer.MAGIC_BYTE) {
      throw new WrongMagicByteException(topic, data[0], data.length);
    }
    final int id = ByteBuffer.wrap(data, 1, 4).getInt();
    final DatumReader<T> reader = readers.computeIfAbsent(id, this::reader);
    final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER, data.length - HEADER, null);
    final T value;
    try {
      value = reader.read(null, decoder);
    } catch (java.io.IOException | RuntimeException e) {
      throw new CorruptPayloadException("Record on topic '" + topic + "' (" + data.length
          + " bytes, schema id " + id + ") cannot be decoded: truncated or corrupt Avro payload ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new CorruptPayloadException("Record on topic '" + topic + "' (" + data.length + " bytes, schema id "
            + id + ") has trailing bytes after the Avro record: corrupt payload or wrong schema id");
      }
    } catch (java.io.IOException e) {
      throw new CorruptPayloadException("Record on topic '" + topic + "' cannot be decoded: " + e.getMessage(), e);
    }
    return value;
  }

  private DatumReader<T> reader(final int id) {
    final Schema writer = client.byId(id);
    final Schema readerSchema;
    final SpecificData model;
    if (type != null) {
      model = SpecificData.getForClass(type);
      readerSchema = model.getSchema(type);
    } else {
      model = SpecificData.getForSchema(writer);
      final Class<?> generated = model.getClass(writer);
      // A generated class exists for the writer's record name: read with its schema (Java strings...).
      readerSchema = generated != null && SpecificRecord.class.isAssignableFrom(generated)
          ? model.getSchema(generated) : writer;
    }
    final org.apache.avro.SchemaCompatibility.SchemaPairCompatibility compat =
        org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compat.getType() != org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new CorruptPayloadException("Writer schema id " + id + " (" + writer.getFullName()
          + ") cannot be read as " + readerSchema.getFullName() + ": " + compat.getDescription());
    }
    return new SpecificDatumReader<>(writer, readerSchema, model);
  }
}
