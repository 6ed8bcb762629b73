package dev.rsk.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The deterministic acceptance rules that let several registries replay one log to the same state. */
class SchemaStoreTest {

  private static final Schema A = Schema.create(Schema.Type.INT);
  private static final Schema B = Schema.create(Schema.Type.STRING);

  @Test
  void onlyTheNextVersionIsAccepted() {
    final SchemaStore store = new SchemaStore();
    assertThat(store.applySchema("s", 2, 1, A)).isFalse();
    assertThat(store.applySchema("s", 1, 1, A)).isTrue();
    assertThat(store.applySchema("s", 1, 2, B)).as("a competing version 1 loses").isFalse();
    assertThat(store.applySchema("s", 2, 2, B)).isTrue();
    assertThat(store.versions("s")).extracting(RegisteredSchema::id).containsExactly(1, 2);
  }

  @Test
  void anIdNeverNamesTwoSchemasAndASchemaNeverHasTwoIds() {
    final SchemaStore store = new SchemaStore();
    assertThat(store.applySchema("s", 1, 1, A)).isTrue();
    assertThat(store.applySchema("t", 1, 1, B)).as("id 1 is A's").isFalse();
    assertThat(store.applySchema("t", 1, 5, A)).as("A is id 1").isFalse();
    assertThat(store.applySchema("t", 1, 1, A)).isTrue();
    assertThat(store.idFor(B)).isEqualTo(2);
    assertThat(store.idFor(A)).isEqualTo(1);
  }

  @Test
  void theSameSchemaTwiceInASubjectIsOneVersion() {
    final SchemaStore store = new SchemaStore();
    assertThat(store.applySchema("s", 1, 1, A)).isTrue();
    assertThat(store.applySchema("s", 2, 1, A)).isFalse();
    assertThat(store.versions("s")).hasSize(1);
  }
}
