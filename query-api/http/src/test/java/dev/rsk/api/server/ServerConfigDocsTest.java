package dev.rsk.api.server;

import dev.rsk.config.ConfigDocs;
import dev.rsk.config.ConfigDocsCheck;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** docs/api.md shows exactly the keys ServerConfig declares. */
class ServerConfigDocsTest {

  @Test
  void theServerTableIsTheKafkaKeysThenOurs() throws IOException {
    ConfigDocsCheck.check("docs/api.md", "server",
        ConfigDocs.markdownTable(ConfigDocs.keys(ServerConfig.kafkaConfigDef(), ServerConfig.configDef())),
        "mvn -B -o -pl query-api/http -am test -Dtest=ServerConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Drsk.docs.write=true");
  }
}
