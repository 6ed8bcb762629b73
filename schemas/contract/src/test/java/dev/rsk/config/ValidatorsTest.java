package dev.rsk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ValidatorsTest {

  @Test
  void longsAreDecimalOrUnsignedHex() {
    assertThat(Validators.parseLong("42")).isEqualTo(42L);
    assertThat(Validators.parseLong("-7")).isEqualTo(-7L);
    assertThat(Validators.parseLong("0x72736B5F53454544")).isEqualTo(0x72736B5F53454544L);
    assertThat(Validators.parseLong("0xFFFFFFFFFFFFFFFF")).isEqualTo(-1L);
    assertThat(Validators.hex(-1L)).isEqualTo("0xFFFFFFFFFFFFFFFF");
    assertThat(Validators.hex(0x72736B5F53454544L)).isEqualTo("0x72736B5F53454544");
    assertThatThrownBy(() -> Validators.parseLong("soon")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Validators.longLiteral().ensureValid("rsk.sketch.seed", "0xZZ"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rsk.sketch.seed").hasMessageContaining("0xZZ");
  }

  @Test
  void durationsAreIsoWithWholeDaysInDays() {
    assertThat(Validators.iso(Duration.ofDays(400))).isEqualTo("P400D");
    assertThat(Validators.iso(Duration.ofDays(1))).isEqualTo("P1D");
    assertThat(Validators.iso(Duration.ofSeconds(2))).isEqualTo("PT2S");
    assertThat(Validators.iso(Duration.ofHours(36))).isEqualTo("PT36H");
    assertThat(Validators.iso(Duration.ZERO)).isEqualTo("PT0S");
    assertThat(Validators.parseDuration("k", " P400D ")).isEqualTo(Duration.ofDays(400));
    assertThatCode(() -> Validators.isoDuration().ensureValid("rsk.retention", " ")).doesNotThrowAnyException();
    assertThatCode(() -> Validators.isoDuration().ensureValid("rsk.retention", null)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Validators.isoDuration().ensureValid("rsk.retention", "400 days"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rsk.retention").hasMessageContaining("ISO-8601");
  }

  @Test
  void nonBlankRejectsNullEmptyAndBlank() {
    assertThatCode(() -> Validators.nonBlank().ensureValid("rsk.topic.dlq", "dlq")).doesNotThrowAnyException();
    for (final String bad : new String[] {null, "", "  "}) {
      assertThatThrownBy(() -> Validators.nonBlank().ensureValid("rsk.topic.dlq", bad))
          .isInstanceOf(ConfigException.class).hasMessageContaining("rsk.topic.dlq")
          .hasMessageContaining("must not be empty");
    }
  }
}
