package dev.rsk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The Confluent compatibility levels on top of Avro's reader/writer check. */
class CompatibilityLevelTest {

  private static Schema schema(final String fields) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
  }

  private static final Schema A = schema("{\"name\":\"a\",\"type\":\"int\"}");
  /** A plus a field with a default: readable both ways with A. */
  private static final Schema A_PLUS_DEFAULTED = schema(
      "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");
  /** A plus a required field: can read nothing written with A (backward-incompatible), but A can read it. */
  private static final Schema A_PLUS_REQUIRED = schema(
      "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"c\",\"type\":\"long\"}");
  /** Drops a: cannot be read by A (forward-incompatible), but can read A's data. */
  private static final Schema WITHOUT_A = schema("{\"name\":\"z\",\"type\":\"int\",\"default\":0}");

  @Test
  void backwardMeansTheNewSchemaReadsOldData() {
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(A_PLUS_DEFAULTED, List.of(A))).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(A_PLUS_REQUIRED, List.of(A))).isNotEmpty();
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(WITHOUT_A, List.of(A))).isEmpty();
  }

  @Test
  void forwardMeansOldReadersReadNewData() {
    assertThat(CompatibilityLevel.FORWARD.incompatibilities(A_PLUS_REQUIRED, List.of(A))).isEmpty();
    assertThat(CompatibilityLevel.FORWARD.incompatibilities(WITHOUT_A, List.of(A))).isNotEmpty();
  }

  @Test
  void fullNeedsBoth() {
    assertThat(CompatibilityLevel.FULL.incompatibilities(A_PLUS_DEFAULTED, List.of(A))).isEmpty();
    assertThat(CompatibilityLevel.FULL.incompatibilities(A_PLUS_REQUIRED, List.of(A))).isNotEmpty();
    assertThat(CompatibilityLevel.FULL.incompatibilities(WITHOUT_A, List.of(A))).isNotEmpty();
  }

  @Test
  void transitiveChecksEveryVersionNotJustTheLatest() {
    final List<Schema> history = List.of(A, A_PLUS_REQUIRED);
    // Reads data of the latest version (a, c) but not of the first (a only: c has no default).
    final Schema readsLatestOnly = schema("{\"name\":\"c\",\"type\":\"long\"}");
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(readsLatestOnly, history)).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.incompatibilities(readsLatestOnly, history))
        .singleElement().asString().contains("c");
  }

  @Test
  void noneAndFirstVersionsAcceptAnything() {
    assertThat(CompatibilityLevel.NONE.incompatibilities(WITHOUT_A, List.of(A))).isEmpty();
    assertThat(CompatibilityLevel.FULL_TRANSITIVE.incompatibilities(WITHOUT_A, List.of())).isEmpty();
  }

  @Test
  void parsingIsCaseInsensitiveAndListsValidNames() {
    assertThat(CompatibilityLevel.parse("full_transitive")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThatThrownBy(() -> CompatibilityLevel.parse("sideways")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BACKWARD");
  }
}
