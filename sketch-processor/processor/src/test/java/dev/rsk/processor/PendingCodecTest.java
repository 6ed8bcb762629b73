package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** The pending-store layout, checked against bytes written by hand from the diagram in PendingCodec. */
class PendingCodecTest {

  private static Member member(final long timestamp, final long offset, final byte[] raw) {
    return new Member(null, raw, offset, timestamp); // the codec never reads the decoded event
  }

  @Test
  void aValueIsTheVersionByteThenTimestampOffsetAndTheOriginalBytes() {
    final byte[] expected = {
        1, // serial version
        0, 0, 0, 0, 0, 0, 0x01, 0x02, // timestamp 258
        0, 0, 0, 0, 0, 0, 0, 0x2a, // offset 42
        0, 1, 2, 3, 4, 5, (byte) 0xff}; // original record value
    assertThat(PendingCodec.value(member(258L, 42L, new byte[] {0, 1, 2, 3, 4, 5, (byte) 0xff})))
        .isEqualTo(expected);
    final PendingCodec.Entry e = PendingCodec.decode(expected);
    assertThat(e.timestamp()).isEqualTo(258L);
    assertThat(e.offset()).isEqualTo(42L);
    assertThat(e.rawValue()).containsExactly(0, 1, 2, 3, 4, 5, 0xff);
  }

  @Test
  void aValueRoundTrips() {
    final byte[] raw = {0, 0, 0, 0, 7, 2, 'h', 'i'};
    final PendingCodec.Entry e = PendingCodec.decode(PendingCodec.value(member(1_772_359_200_000L, 123_456_789L, raw)));
    assertThat(e.timestamp()).isEqualTo(1_772_359_200_000L);
    assertThat(e.offset()).isEqualTo(123_456_789L);
    assertThat(e.rawValue()).isEqualTo(raw);
    assertThat(PendingCodec.decode(PendingCodec.value(member(0L, 0L, new byte[0]))).rawValue()).isEmpty();
  }

  @Test
  void aValueWrittenBeforeTheVersionByteIsStillRead() {
    final byte[] legacy = {
        0, 0, 0, 0, 0, 0, 0x01, 0x02, // timestamp 258
        0, 0, 0, 0, 0, 0, 0, 0x2a, // offset 42
        9, 8}; // original record value
    final PendingCodec.Entry e = PendingCodec.decode(legacy);
    assertThat(e.timestamp()).isEqualTo(258L);
    assertThat(e.offset()).isEqualTo(42L);
    assertThat(e.rawValue()).containsExactly(9, 8);
  }

  @Test
  void anUnknownVersionIsRejected() {
    final byte[] v2 = {2, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 42, 9};
    assertThatThrownBy(() -> PendingCodec.decode(v2))
        .isInstanceOf(PendingCodec.UnreadableEntryException.class)
        .hasMessage("pending-store value has serial version 2; this processor reads versions 0 and 1"
            + " (was it written by a newer release?)");
    assertThatThrownBy(() -> PendingCodec.decode(new byte[] {(byte) 0xfe, 1, 2}))
        .isInstanceOf(PendingCodec.UnreadableEntryException.class)
        .hasMessageContaining("serial version 254");
  }

  @Test
  void aTruncatedOrEmptyValueIsRejected() {
    assertThatThrownBy(() -> PendingCodec.decode(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
        .isInstanceOf(PendingCodec.UnreadableEntryException.class)
        .hasMessage("pending-store value of serial version 1 has 11 bytes, shorter than its 17-byte header");
    assertThatThrownBy(() -> PendingCodec.decode(new byte[0]))
        .isInstanceOf(PendingCodec.UnreadableEntryException.class);
  }

  @Test
  void aKeyIsTheIdLengthTheInferenceIdAndTheObjectId() {
    final Bytes key = PendingCodec.key("inf", "ob");
    assertThat(key.get()).containsExactly(0, 0, 0, 3, 'i', 'n', 'f', 'o', 'b');
    assertThat(PendingCodec.inferenceId(key)).isEqualTo("inf");
    assertThat(PendingCodec.inferenceId(Bytes.wrap(new byte[] {0, 0, 0, 0, 'o'}))).isEmpty();
  }

  @Test
  void aKeyWhoseLengthDoesNotFitIsRejected() {
    assertThatThrownBy(() -> PendingCodec.inferenceId(Bytes.wrap(new byte[] {0, 0, 0, 9, 'a'})))
        .isInstanceOf(PendingCodec.UnreadableEntryException.class)
        .hasMessage("pending-store key of 5 bytes announces an inference id of 9 bytes");
    assertThatThrownBy(() -> PendingCodec.inferenceId(Bytes.wrap(new byte[] {0, 0})))
        .isInstanceOf(PendingCodec.UnreadableEntryException.class);
  }
}
