package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ProcessorConfigTest {

  private static Properties props(final String... kv) {
    final Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void defaultsAreExactlyOnceWithTheDocumentedTopicsAndLimits() {
    final ProcessorConfig c = ProcessorConfig.fromProperties(props(), Map.of());
    assertThat(c.activationsTopic()).isEqualTo("activations");
    assertThat(c.sketchesTopic()).isEqualTo("sketches");
    assertThat(c.dlqTopic()).isEqualTo("activations-dlq");
    assertThat(c.spec().d()).isEqualTo(1024);
    assertThat(c.gap()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.limits()).isEqualTo(ProcessorConfig.Limits.defaults());
    final Properties s = c.streamsProperties();
    assertThat(s.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(s.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo(ProcessorConfig.DEFAULT_APPLICATION_ID);
    assertThat(s.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DlqProcessingExceptionHandler.class.getName());
    assertThat(s.get("producer.batch.size")).isEqualTo(ProcessorConfig.DEFAULT_PRODUCER_BATCH_SIZE);
    assertThat(ProcessorConfig.fromProperties(props("kafka.producer.batch.size", "1000"), Map.of())
        .streamsProperties().get("producer.batch.size")).isEqualTo("1000");
  }

  @Test
  void kafkaKeysPassThroughAndTheEnvironmentWins() {
    final ProcessorConfig c = ProcessorConfig.fromProperties(props(
        "kafka.bootstrap.servers", "file:9092",
        "schema.registry.url", "http://file:8081",
        "kafka.num.stream.threads", "3",
        "rsk.gap.ms", "1000",
        "rsk.sketch.d", "4096",
        "rsk.topic.sketches", "s2"), Map.of(
        "RSK_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
        "RSK_GAP_MS", "2500",
        "RSK_LIMIT_FANOUT", "7",
        "PATH", "/usr/bin"));
    final Properties s = c.streamsProperties();
    assertThat(s.get("bootstrap.servers")).isEqualTo("env:9092");
    assertThat(s.get("schema.registry.url")).isEqualTo("http://file:8081");
    assertThat(s.get("num.stream.threads")).isEqualTo("3");
    assertThat(c.gap()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.limits().maxFanOut()).isEqualTo(7);
    assertThat(c.spec().d()).isEqualTo(4096);
    assertThat(c.sketchesTopic()).isEqualTo("s2");
    assertThat(c.serdeConfig()).containsEntry("schema.registry.url", "http://file:8081");
  }

  @Test
  void describeRedactsSecrets() {
    final ProcessorConfig c = ProcessorConfig.fromProperties(props(
        "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " password=\"hunter2\";",
        "kafka.ssl.truststore.password", "hunter3",
        "basic.auth.user.info", "me:hunter4",
        "kafka.bootstrap.servers", "b:9092"), Map.of());
    final String d = c.describe();
    assertThat(d).doesNotContain("hunter2", "hunter3", "hunter4").contains("[redacted]").contains("b:9092")
        .contains("rsk.limit.objects = 10000");
  }

  @Test
  void badValuesFailWithTheKeyInTheMessage() {
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.gap.ms", "soon"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.gap.ms");
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.limit.objects", "0"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.limit.objects");
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.unknown", "1"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.unknown");
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.topic.sketches", "activations"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.sketch.alpha", "0.9", "rsk.sketch.beta", "0.9"),
        Map.of())).hasMessageContaining("alpha");
  }

  @Test
  void theSeedIsDecimalOrHexAndTheBuilderKeepsEveryValue() {
    assertThat(ProcessorConfig.fromProperties(props("rsk.sketch.seed", "0xFFFFFFFFFFFFFFFF"), Map.of()).spec().seed())
        .isEqualTo(-1L);
    assertThat(ProcessorConfig.fromProperties(props("rsk.sketch.seed", "42"), Map.of()).spec().seed()).isEqualTo(42L);
    assertThat(ProcessorConfig.fromProperties(props(), Map.of()).spec()).isEqualTo(SketchSpec.defaults());
    final ProcessorConfig c = ProcessorConfig.builder()
        .spec(SketchSpec.of(64, -5L, 0.6, 0.8))
        .gap(Duration.ofMillis(1500))
        .limits(new ProcessorConfig.Limits(8, 3, 2, 16, 1000))
        .completedMemory(7)
        .readyFile("/tmp/ready")
        .kafka("bootstrap.servers", "b:9092")
        .build();
    final ProcessorConfig copy = c.toBuilder().build();
    for (final ProcessorConfig x : new ProcessorConfig[] {c, copy}) {
      assertThat(x.spec()).isEqualTo(SketchSpec.of(64, -5L, 0.6, 0.8));
      assertThat(x.gap()).isEqualTo(Duration.ofMillis(1500));
      assertThat(x.wallClockGap()).isEqualTo(Duration.ofSeconds(60));
      assertThat(x.limits()).isEqualTo(new ProcessorConfig.Limits(8, 3, 2, 16, 1000));
      assertThat(x.completedMemory()).isEqualTo(7);
      assertThat(x.readyFile()).isEqualTo("/tmp/ready");
      assertThat(x.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(x.kafka()).containsExactly(Map.entry("bootstrap.servers", "b:9092"));
    }
    assertThat(ProcessorConfig.fromProperties(props("rsk.ready.file", ""), Map.of()).readyFile()).isNull();
  }

  @Test
  void invalidSettingsAreIllegalArgumentsNamingTheKey() {
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.sketch.d", "8"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.sketch.d");
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.sketch.seed", "0xZZ"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.sketch.seed");
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props("rsk.topic.dlq", " "), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.topic.dlq");
    assertThatThrownBy(() -> ProcessorConfig.fromProperties(props(), Map.of("RSK_GAP_WALL_MS", "-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.gap.wall.ms");
    assertThatThrownBy(() -> ProcessorConfig.builder().closeTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rsk.close.timeout.ms");
    assertThatThrownBy(() -> ProcessorConfig.builder().apply("rsk.metrics.registry", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown setting rsk.metrics.registry");
  }

  @Test
  void describeShowsEveryEffectiveSettingOnce() {
    final String d = ProcessorConfig.fromProperties(props(
        "kafka.producer.ssl.key.password", "hunter5", "rsk.ready.file", "/tmp/r"), Map.of()).describe();
    assertThat(d).doesNotContain("hunter5").contains(
        "  kafka.application.id = rsk-sketch-processor\n",
        "  kafka.processing.exception.handler = dev.rsk.processor.DlqProcessingExceptionHandler\n",
        "  kafka.processing.exception.handler.global.enabled = true\n",
        "  kafka.producer.batch.size = 262144\n",
        "  kafka.producer.ssl.key.password = [redacted]\n",
        "  rsk.gap.ms = 30000\n",
        "  rsk.ready.file = /tmp/r\n",
        "  rsk.sketch.seed = 0x72736B5F53454544\n",
        "  rsk.topic.dlq = activations-dlq\n",
        // the pending objects' changelog is compacted like the stats' (8 MB / 10 min segments, dirty ratio 0.2)
        "  kafka.topic.segment.bytes = 8388608\n",
        "  kafka.topic.segment.ms = 600000\n",
        "  kafka.topic.min.cleanable.dirty.ratio = 0.2\n")
        .doesNotContain("kafka.rsk.topic.dlq");
    assertThat(d.lines().count()).isEqualTo(ProcessorConfig.configDef().names().size() + 1 + 9);
  }

  @Test
  void theBuilderSetsTopicsCheckIntervalAndAppliedKeysInOneChain() {
    final ProcessorConfig c = ProcessorConfig.builder().activationsTopic("in-x").sketchesTopic("out-x")
        .dlqTopic("dlq-x").gapCheckInterval(Duration.ofMillis(250)).apply("rsk.gap.ms", "1500").build();
    assertThat(c.activationsTopic()).isEqualTo("in-x");
    assertThat(c.sketchesTopic()).isEqualTo("out-x");
    assertThat(c.dlqTopic()).isEqualTo("dlq-x");
    assertThat(c.gapCheckInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.gap()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void everyLimitMustBeAtLeastOne() {
    final int[] ok = {1, 1, 1, 1, 1};
    assertThat(new ProcessorConfig.Limits(ok[0], ok[1], ok[2], ok[3], ok[4]).maxPendingInferences()).isEqualTo(1);
    final String[] keys = {"rsk.limit.objects", "rsk.limit.fanout", "rsk.limit.depth", "rsk.limit.attribute.length",
        "rsk.limit.pending.inferences"};
    for (int i = 0; i < keys.length; i++) {
      final int[] v = ok.clone();
      v[i] = 0;
      assertThatThrownBy(() -> new ProcessorConfig.Limits(v[0], v[1], v[2], v[3], v[4]))
          .isInstanceOf(IllegalArgumentException.class).hasMessage(keys[i] + " must be > 0, got 0");
    }
  }
}
