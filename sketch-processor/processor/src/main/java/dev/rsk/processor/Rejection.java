package dev.rsk.processor;

/** A reason and a human-readable message for sending a record to the DLQ. */
record Rejection(RejectReason reason, String message) {}
