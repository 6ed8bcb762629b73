package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standalone API takes its access settings, and only those, from the environment. */
class StandaloneAccessConfigTest {

  private static ServerConfig config(final Map<String, String> env) {
    return StandaloneApi.config(StandaloneOptions.ephemeral(Path.of("d")), "127.0.0.1:1", "http://127.0.0.1:2", env);
  }

  @Test
  void tokensFromTheEnvironmentWithASecretMadeForTheRun() {
    final ServerConfig c = config(Map.of("RSK_API_TOKENS", "t1,t2", "RSK_KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092",
        "RSK_HTTP_PORT", "1"));
    assertThat(c.security().tokens()).containsExactly("t1", "t2");
    assertThat(c.security().clusterSecret()).hasSize(64).isNotIn("t1", "t2");
    assertThat(StandaloneApi.clientToken(c)).isEqualTo("t1");
    // Nothing else of the environment reaches the standalone stack.
    assertThat(c.streamsProperties("h:1").getProperty("bootstrap.servers")).isEqualTo("127.0.0.1:1");
    assertThat(c.httpPort()).isZero();
    assertThat(config(Map.of("RSK_API_TOKENS", "t1")).security().clusterSecret())
        .isNotEqualTo(c.security().clusterSecret());
  }

  @Test
  void aGivenSecretIsKeptAndNoTokensMeansNoAuthentication() {
    assertThat(config(Map.of("RSK_API_TOKENS", "t1", "RSK_CLUSTER_SECRET", "s")).security().clusterSecret())
        .isEqualTo("s");
    final ServerConfig open = config(Map.of("RSK_API_TOKENS", " "));
    assertThat(open.security().tokens()).isEmpty();
    assertThat(open.security().clusterSecret()).isNull();
    assertThat(StandaloneApi.clientToken(open)).isNull();
  }
}
