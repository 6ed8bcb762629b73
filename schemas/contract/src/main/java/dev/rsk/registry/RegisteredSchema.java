package dev.rsk.registry;

import org.apache.avro.Schema;

/** One version of a subject in a schema registry: its global id, its version within the subject and the schema. */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {}
