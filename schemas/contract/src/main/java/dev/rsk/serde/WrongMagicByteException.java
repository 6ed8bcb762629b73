package dev.rsk.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The first byte of a record is not the Confluent wire-format magic byte {@code 0x00}: the record
 * was not written by a schema-registry-aware Avro serializer (plain JSON, raw Avro, another format).
 */
public final class WrongMagicByteException extends SerializationException {
  private static final long serialVersionUID = 1L;

  private final byte magic;

  public WrongMagicByteException(final String topic, final byte magic, final int length) {
    super(String.format(
        "Unknown magic byte 0x%02x in a %d-byte record on topic '%s': expected 0x00 "
            + "(Confluent wire format: magic byte, 4-byte schema id, Avro binary). "
            + "Was it written without a schema-registry Avro serializer?",
        magic & 0xff, length, topic));
    this.magic = magic;
  }

  /** The byte found where the magic byte was expected. */
  public byte magic() {
    return magic;
  }
}
