package dev.rsk.processor;

import dev.rsk.avro.ModuleActivation;

/**
 * One received object of an inference: the decoded event plus what the dead-letter topic needs to
 * reproduce the original record (its exact value bytes, offset and record timestamp).
 */
record Member(ModuleActivation event, byte[] rawValue, long offset, long timestamp) {}
