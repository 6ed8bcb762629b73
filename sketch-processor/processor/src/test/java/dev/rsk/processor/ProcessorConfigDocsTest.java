package dev.rsk.processor;

import dev.rsk.config.ConfigDocs;
import dev.rsk.config.ConfigDocsCheck;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.junit.jupiter.api.Test;

/** docs/processor.md shows exactly the keys ProcessorConfig declares. */
class ProcessorConfigDocsTest {

  static final String REGENERATE = "mvn -B -o -pl sketch-processor -am test -Dtest=ProcessorConfigDocsTest"
      + " -Dsurefire.failIfNoSpecifiedTests=false -Drsk.docs.write=true";

  @Test
  void theLimitsTableIsTheLimitsGroup() throws IOException {
    final List<ConfigKey> limits = ConfigDocs.keys(ProcessorConfig.configDef()).stream()
        .filter(k -> ProcessorConfigDef.LIMITS.equals(k.group)).toList();
    ConfigDocsCheck.check("docs/processor.md", "processor-limits", ConfigDocs.markdownTable(limits), REGENERATE);
  }

  @Test
  void theConfigurationTableIsEveryOtherKeyAndTheKafkaDefaults() throws IOException {
    final List<ConfigKey> others = ConfigDocs.keys(ProcessorConfig.configDef(), ProcessorConfig.kafkaConfigDef())
        .stream().filter(k -> !ProcessorConfigDef.LIMITS.equals(k.group)).toList();
    ConfigDocsCheck.check("docs/processor.md", "processor", ConfigDocs.markdownTable(others), REGENERATE);
  }
}
