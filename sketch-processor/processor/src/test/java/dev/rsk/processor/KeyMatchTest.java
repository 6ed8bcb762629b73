package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The record-key check on Confluent-framed Avro strings, with the frames written out by hand. */
class KeyMatchTest {

  private static byte[] frame(final int... bytes) {
    final byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return b;
  }

  @Test
  void aLengthOfTwoVarintBytesIsRead() {
    final String id = "x".repeat(64); // zig-zag(64) = 128 = varint 0x80 0x01
    final byte[] key = new byte[5 + 2 + 64];
    key[4] = 1;
    key[5] = (byte) 0x80;
    key[6] = 0x01;
    Arrays.fill(key, 7, key.length, (byte) 'x');
    assertThat(ActivationProcessor.keyMatches(key, id)).isTrue();
    key[6] = 0x02; // length 128
    assertThat(ActivationProcessor.keyMatches(key, id)).isFalse();
  }

  @Test
  void malformedAvroStringsDoNotMatch() {
    // Negative length (zig-zag 1 = -1).
    assertThat(ActivationProcessor.keyMatches(frame(0, 0, 0, 0, 1, 1, 'a', 'b', 'c'), "abc")).isFalse();
    // Length 2^31 - 1 claimed by a 3-byte key: rejected without reading (or allocating) it.
    assertThat(ActivationProcessor.keyMatches(frame(0, 0, 0, 0, 1, 0xfe, 0xff, 0xff, 0xff, 0x0f, 'a', 'b', 'c'),
        "abc")).isFalse();
    // A varint that never ends.
    assertThat(ActivationProcessor.keyMatches(frame(0, 0, 0, 0, 1, 0x86, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80), "abc")).isFalse();
    // Truncated: length 3, two bytes.
    assertThat(ActivationProcessor.keyMatches(frame(0, 0, 0, 0, 1, 6, 'a', 'b'), "abc")).isFalse();
    // Trailing byte after the string.
    assertThat(ActivationProcessor.keyMatches(frame(0, 0, 0, 0, 1, 6, 'a', 'b', 'c', 0), "abc")).isFalse();
    // Not magic byte 0, or no room for a length.
    assertThat(ActivationProcessor.keyMatches(frame(1, 0, 0, 0, 1, 6, 'a', 'b', 'c'), "abc")).isFalse();
    assertThat(ActivationProcessor.keyMatches(frame(0, 0, 0, 0, 1), "")).isFalse();
  }

  @Test
  void aNonAsciiIdMatchesByItsUtf8Bytes() {
    final byte[] id = "é".getBytes(StandardCharsets.UTF_8); // 0xc3 0xa9
    assertThat(ActivationProcessor.keyMatches(frame(0, 0, 0, 0, 1, 4, 0xc3, 0xa9), "é")).isTrue();
    assertThat(ActivationProcessor.keyMatches(id, "é")).isTrue();
  }
}
