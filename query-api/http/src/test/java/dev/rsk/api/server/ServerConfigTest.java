package dev.rsk.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.ApiLimits;
import dev.rsk.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

  private static Properties props(final String... kv) {
    final Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  /** The stats keys reach the topology's configuration; unset, its defaults. */
  @Test
  void theStatsKeysReachTheTopologysConfiguration() {
    final var serde = dev.rsk.stats.serde.StatsSerdes.inferenceSketchBinary();
    final dev.rsk.stats.StatsConfig defaults = StatsServer.statsConfig(new ServerConfig(props()), serde);
    assertThat(defaults.repositoryItemsMax()).isEqualTo(64);
    assertThat(defaults.exactDims()).isEqualTo(8);
    final dev.rsk.stats.StatsConfig set = StatsServer.statsConfig(new ServerConfig(props(
        ServerConfig.REPOSITORY_ITEMS_MAX, "0", ServerConfig.EXACT_DIMS, "3", "rsk.stats.bucket", "PT6H")), serde);
    assertThat(set.repositoryItemsMax()).isZero();
    assertThat(set.exactDims()).isEqualTo(3);
    assertThat(set.statsBucket()).isEqualTo(Duration.ofHours(6));
    assertThatThrownBy(() -> new ServerConfig(props(ServerConfig.REPOSITORY_ITEMS_MAX, "-1")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining(ServerConfig.REPOSITORY_ITEMS_MAX);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    final ServerConfig c = new ServerConfig(props());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.bindHost()).isEqualTo("0.0.0.0");
    assertThat(c.sketchesTopic()).isEqualTo("sketches");
    assertThat(c.duration("rsk.retention", Duration.ZERO)).isEqualTo(Duration.ofDays(400));
    assertThat(c.duration("rsk.stats.bucket", Duration.ZERO)).isEqualTo(Duration.ofDays(1));
    assertThat(c.duration("rsk.stats.retention", Duration.ZERO)).isEqualTo(Duration.ofDays(400));
    assertThat(c.duration("rsk.repository.retention", Duration.ZERO)).isEqualTo(Duration.ofDays(400));
    assertThat(c.limits()).isEqualTo(ApiLimits.defaults());
    assertThat(c.advertisedPort(1234)).isEqualTo(1234);
    final Properties s = c.streamsProperties("h:1");
    assertThat(s.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("rsk-stats");
    assertThat(s.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(s.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(LogAndContinueExceptionHandler.class.getName());
    assertThat(s.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(LogAndContinueProcessingExceptionHandler.class.getName());
    assertThat(s.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG)).isEqualTo(true);
    assertThat(s.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("h:1");
    assertThat(s.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("sketches-dlq");
    // internal topics small enough for the log cleaner to compact them, and compressed (docs/exact-stats.md)
    assertThat(s.get("topic.segment.bytes")).isEqualTo(8 << 20);
    assertThat(s.get("topic.segment.ms")).isEqualTo(600_000L);
    assertThat(s.get("topic.min.cleanable.dirty.ratio")).isEqualTo(0.2);
    assertThat(s.get("producer.compression.type")).isEqualTo("zstd");
    assertThat(s.get("producer.batch.size")).as("fewer batches per commit").isEqualTo(262_144);
    assertThat(s.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).as("threads aggregate while one commits")
        .isEqualTo(4);
    assertThat(s).hasSize(13);
    assertThat(c.sketchesPurgeGroups()).as("no purge of the sketches topic unless asked").isEmpty();
    assertThat(c.duration(ServerConfig.REPOSITORY_CLEANUP_INTERVAL, Duration.ZERO)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theStreamThreadsAreTheUsersWhenGiven() {
    assertThat(new ServerConfig(props("kafka.num.stream.threads", "1")).streamsProperties("h:1")
        .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo("1");
  }

  @Test
  void theSimilarityRefreshIsTenSecondsByDefaultAndMustBePositive() {
    assertThat(new ServerConfig(props()).similarityIndex().refresh()).isEqualTo(Duration.ofSeconds(10));
    assertThat(new ServerConfig(props("rsk.similarity.index.refresh", "PT0.5S")).similarityIndex().refresh())
        .isEqualTo(Duration.ofMillis(500));
    for (final String bad : new String[] {"PT0S", "-PT1S"}) {
      assertThatThrownBy(() -> new ServerConfig(props("rsk.similarity.index.refresh", bad)).similarityIndex())
          .isInstanceOf(InvalidConfigException.class).hasMessageContaining("rsk.similarity.index.refresh");
    }
  }

  @Test
  void theDeadLetterTopicFollowsTheSketchesTopicUnlessNamed() {
    final Properties renamed = props();
    renamed.put("rsk.topic.sketches", "frames");
    assertThat(new ServerConfig(renamed).streamsProperties("h:1")
        .get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("frames-dlq");
    renamed.put("rsk.topic.sketches.dlq", "bad-frames");
    assertThat(new ServerConfig(renamed).streamsProperties("h:1")
        .get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("bad-frames");
  }

  @Test
  void theEnvironmentOverridesTheFileAndKafkaKeysPassThrough() {
    final ServerConfig c = new ServerConfig(props(
        "rsk.http.port", "9000",
        "rsk.http.advertised.host", "file-host",
        "rsk.api.store.wait", "PT10S",
        "rsk.retention", "P30D",
        "rsk.some.future.key", "ignored",
        "kafka.application.id", "api-test",
        "schema.registry.url", "http://r:8081"), Map.of(
        "RSK_HTTP_PORT", "0",
        "RSK_KAFKA_APPLICATION_SERVER", "server-1:8181",
        "RSK_STATS_BUCKET", "PT6H"));
    assertThat(c.httpPort()).isZero();
    assertThat(c.advertisedHost()).isEqualTo("server-1");
    assertThat(c.advertisedPort(0)).isEqualTo(8181);
    assertThat(c.duration("rsk.retention", Duration.ZERO)).isEqualTo(Duration.ofDays(30));
    assertThat(c.duration("rsk.stats.bucket", Duration.ZERO)).isEqualTo(Duration.ofHours(6));
    assertThat(c.limits().storeWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.limits().remoteTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.serdeConfig()).containsEntry("schema.registry.url", "http://r:8081")
        .containsEntry("application.id", "api-test");
    assertThat(c.streamsProperties("x:1").get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("api-test");
    assertThat(new ServerConfig(props("rsk.http.advertised.host", "file-host")).advertisedHost())
        .isEqualTo("file-host");
  }

  @Test
  void theAnswersStalenessBoundIsOffByDefaultAndNeverNegative() {
    assertThat(new ServerConfig(props()).limits().answerMaxStaleness()).isZero();
    assertThat(new ServerConfig(props("rsk.api.answer.max.staleness", "PT0.5S")).limits().answerMaxStaleness())
        .isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> new ServerConfig(props("rsk.api.answer.max.staleness", "-PT1S")).limits())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("rsk.api.answer.max.staleness");
  }

  @Test
  void aBlankDurationMeansTheCallersDefault() {
    assertThat(new ServerConfig(props("rsk.retention", "")).duration("rsk.retention", Duration.ofDays(3)))
        .isEqualTo(Duration.ofDays(3));
  }

  @Test
  void badValuesFailAtConstructionNamingTheKey() {
    assertThatThrownBy(() -> new ServerConfig(props("rsk.http.port", "70000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.http.port");
    assertThatThrownBy(() -> new ServerConfig(props("rsk.http.port", "http")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.http.port");
    assertThatThrownBy(() -> new ServerConfig(props(), Map.of("RSK_REPOSITORY_RETENTION", "400 days")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.repository.retention");
    assertThatThrownBy(() -> new ServerConfig(props("rsk.topic.sketches", " ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.topic.sketches");
  }

  @Test
  void describeRedactsSecrets() {
    final String d = new ServerConfig(props(
        "basic.auth.user.info", "me:hunter4",
        "kafka.ssl.keystore.password", "hunter5",
        "kafka.bootstrap.servers", "b:9092")).describe();
    assertThat(d).doesNotContain("hunter4", "hunter5")
        .contains("  kafka.basic.auth.user.info = [redacted]\n", "  kafka.bootstrap.servers = b:9092\n",
            "  kafka.application.id = rsk-stats\n", "  rsk.http.port = 8080\n", "  rsk.retention = P400D\n");
  }

  @Test
  void tokensComeFromTheKeyTheFileAndTheEnvironmentAndNeedAClusterSecret(@TempDir final Path dir)
      throws Exception {
    final Path file = Files.writeString(dir.resolve("tokens"), "# ops\nfile-token-1\n\n  file-token-2  \n");
    final ServerConfig c = new ServerConfig(props("rsk.api.tokens.file", file.toString(),
        "rsk.cluster.secret", "s3cret-hunter7"), Map.of("RSK_API_TOKENS", "t1, t2"));
    assertThat(c.security().tokens()).containsExactly("t1", "t2", "file-token-1", "file-token-2");
    assertThat(c.security().clusterSecret()).isEqualTo("s3cret-hunter7");
    assertThat(c.security().tls()).isFalse();
    assertThat(c.describe()).doesNotContain("t1, t2", "hunter7")
        .contains("  rsk.api.tokens = [redacted]\n", "  rsk.cluster.secret = [redacted]\n");

    assertThat(new ServerConfig(props()).security().tokens()).isEmpty();
    assertThatThrownBy(() -> new ServerConfig(props(), Map.of("RSK_API_TOKENS", "t1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(rsk.cluster.secret) is required");
    assertThatThrownBy(() -> new ServerConfig(props("rsk.api.tokens", "t1", "rsk.cluster.secret", "t1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be one of the API tokens");
    assertThatThrownBy(() -> new ServerConfig(props("rsk.api.tokens.file", dir.resolve("none").toString())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.api.tokens.file");
  }

  @Test
  void aKeystoreThatCannotBeReadFailsAtConstruction(@TempDir final Path dir) throws Exception {
    assertThatThrownBy(() -> new ServerConfig(props("rsk.http.tls.keystore.path", dir.resolve("x.p12").toString())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.http.tls.keystore.path");
    final Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a keystore");
    assertThatThrownBy(() -> new ServerConfig(props("rsk.http.tls.keystore.path", garbage.toString(),
        "rsk.http.tls.keystore.password", "hunter8")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read PKCS12 store");
  }
}
