package dev.rsk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RskConfigTest {

  private static final ConfigDef DEF = new ConfigDef()
      .define("rsk.gap.ms", Type.LONG, 30_000L, Range.atLeast(1), Importance.HIGH, "gap")
      .define("rsk.ready.file", Type.STRING, null, Importance.LOW, "file");

  @Test
  void declaredKeysAreTypedAndDefaulted() {
    final Map<String, Object> in = new HashMap<>();
    in.put("rsk.gap.ms", " 1500 ");
    in.put("rsk.ready.file", null);
    in.put("rsk.not.declared", "kept");
    final RskConfig c = RskConfig.parse(DEF, in);
    assertThat(c.getLong("rsk.gap.ms")).isEqualTo(1500L);
    assertThat(c.getString("rsk.ready.file")).isNull();
    assertThat(c.originals()).containsEntry("rsk.not.declared", "kept");
    assertThat(RskConfig.parse(DEF, Map.of()).getLong("rsk.gap.ms")).isEqualTo(30_000L);
  }

  @Test
  void badValuesAreIllegalArgumentsNamingTheKey() {
    assertThatThrownBy(() -> RskConfig.parse(DEF, Map.of("rsk.gap.ms", "soon")))
        .isInstanceOf(InvalidConfigException.class).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rsk.gap.ms").hasMessageContaining("soon")
        .hasCauseInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> RskConfig.parse(DEF, Map.of("rsk.gap.ms", 0L)))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("rsk.gap.ms");
  }
}
