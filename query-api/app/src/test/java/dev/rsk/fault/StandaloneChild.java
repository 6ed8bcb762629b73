package dev.rsk.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.serde.AvroSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * {@code rsk standalone} in a child JVM ({@link ChildJvm}) as the crash tests run it: free loopback ports for the
 * broker, the registry and the API, the data directory {@code <dir>/data}, the child's output appended to
 * {@code <dir>/standalone.log} (every start of the child writes to the same file). {@link #kill} is {@code kill -9};
 * {@link #restart} starts a new child with the same arguments and environment on the same data directory.
 * {@link #close} stops the child (SIGTERM, then SIGKILL after 40 s) and keeps its logs in {@code target/fault-logs}
 * under the test's name: {@code <name>.log}, {@code <name>.gc-<pid>.log}, {@code <name>-rsk.log}.
 */
final class StandaloneChild implements AutoCloseable {

  /** Longest wait for {@code /ready} after a start. */
  static final Duration READY = Duration.ofSeconds(180);
  /** The scene's frequency over the tests' days: every fault inference has a scene root. */
  static final String SCENE_FREQUENCY = "/v1/modules/scene/frequency?from=2026-03-01&to=2026-03-04";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final int kafka;
  private final int registry;
  private final int http;
  private final Path dir;
  private final Map<String, String> env;
  private final String token;
  private final String[] args;
  private ChildJvm jvm;

  private StandaloneChild(final String name, final Path dir, final Map<String, String> env, final String token)
      throws IOException {
    this.name = name;
    this.dir = dir;
    this.env = Map.copyOf(env);
    this.token = token;
    this.kafka = ChildJvm.freePort();
    this.registry = ChildJvm.freePort();
    this.http = ChildJvm.freePort();
    this.args = new String[] {"standalone", "--kafka-port", "" + kafka, "--registry-port", "" + registry,
        "--http-port", "" + http, "--data-dir", data().toString()};
    this.jvm = ChildJvm.rsk(log(), this.env, args);
  }

  /** Starts {@code rsk standalone} with no extra environment; the API is asked without a token. */
  static StandaloneChild start(final String name, final Path dir) throws IOException {
    return new StandaloneChild(name, dir, Map.of(), null);
  }

  /**
   * Starts {@code rsk standalone} with {@code env} added to this process's environment ({@code RSK_*} variables of
   * this process are not passed on); {@code token} (or null) is sent as the bearer token of {@link #sketched} and
   * {@link #get(String)}.
   */
  static StandaloneChild start(final String name, final Path dir, final Map<String, String> env, final String token)
      throws IOException {
    return new StandaloneChild(name, dir, env, token);
  }

  int kafkaPort() {
    return kafka;
  }

  String bootstrap() {
    return "127.0.0.1:" + kafka;
  }

  String registryUrl() {
    return "http://127.0.0.1:" + registry;
  }

  /** The API's base URL. */
  String api() {
    return "http://127.0.0.1:" + http;
  }

  Path data() {
    return dir.resolve("data");
  }

  /** The children's console output. */
  Path log() {
    return dir.resolve("standalone.log");
  }

  /** The stack's own log in its data directory (may not exist yet). */
  Path rskLog() {
    return data().resolve("rsk.log");
  }

  /** The child running now. */
  ChildJvm jvm() {
    return jvm;
  }

  /** kill -9 of the child, then waits until it is gone. */
  void kill() throws InterruptedException {
    jvm.kill();
  }

  /** Starts a new child on the same ports and data directory; the previous one must be gone. */
  void restart() throws IOException {
    if (jvm.alive()) {
      throw new IllegalStateException("rsk standalone (pid " + jvm.pid() + ") still runs: kill it first");
    }
    jvm = ChildJvm.rsk(log(), env, args);
  }

  /**
   * Waits until {@code /ready} answers 200 (at most {@link #READY}), failing with the log's tail if the child
   * exits; when it is not ready in time, prints and fails with where the stack is stuck ({@link StackDiagnosis}).
   */
  void awaitReady() {
    try {
      Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        if (!jvm.alive()) {
          throw new AssertionError("rsk standalone exited:\n" + jvm.tail(4000));
        }
        return get("/ready", null).statusCode() == 200;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      final String diagnosis = diagnosis();
      System.out.println(name + ": not ready after " + READY + "\n" + diagnosis);
      throw new AssertionError("not ready after " + READY + "\n" + diagnosis, e);
    }
  }

  /** Where the running stack is: health, groups, offsets, start watch, thread dump ({@link StackDiagnosis}). */
  String diagnosis() {
    return StackDiagnosis.of(name, jvm, api(), bootstrap(), rskLog());
  }

  /** Inferences counted by the API (the scene root is in every one); -1 while it cannot answer. */
  long sketched() throws Exception {
    final HttpResponse<String> r = get(SCENE_FREQUENCY);
    return r.statusCode() == 200 ? JSON.readTree(r.body()).get("inferences").asLong() : -1;
  }

  /** GET {@code path} of the API with this stack's token. */
  HttpResponse<String> get(final String path) throws Exception {
    return get(path, token);
  }

  /** GET {@code path} of the API with {@code bearer} (null: no Authorization header); 20 s at most. */
  HttpResponse<String> get(final String path, final String bearer) throws Exception {
    final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api() + path)).timeout(Duration.ofSeconds(20));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST of a JSON {@code body} to {@code path} of the API (no token); 30 s at most. */
  HttpResponse<String> post(final String path, final String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(api() + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A producer of activations to this stack that rides out its restarts: idempotent, acks=all, buffering and
   * retrying for up to 10 minutes while the broker is down. Its serializer caches the schema id after its first
   * send (the registry is down while the stack is). The caller closes it.
   */
  KafkaProducer<String, ModuleActivation> producer() {
    final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000, ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    return new KafkaProducer<>(config, new StringSerializer(), AvroSerdes.specific(ModuleActivation.class,
        Map.of("schema.registry.url", registryUrl()), false).serializer());
  }

  /**
   * The broker's transactions that are not complete, to tell a hanging transaction (a restart stuck on
   * {@code UNSTABLE_OFFSET_COMMIT}) from a slow one when a test fails; never throws.
   */
  String openTransactions() {
    try (Admin admin = FaultTopics.admin(bootstrap())) {
      final List<String> ids = admin.listTransactions().all().get(15, TimeUnit.SECONDS).stream()
          .map(TransactionListing::transactionalId).toList();
      final StringBuilder out = new StringBuilder();
      admin.describeTransactions(ids).all().get(15, TimeUnit.SECONDS).forEach((id, d) -> {
        if (d.state() != TransactionState.COMPLETE_COMMIT && d.state() != TransactionState.COMPLETE_ABORT
            && d.state() != TransactionState.EMPTY) {
          out.append(id).append(' ').append(d.state()).append(" producer ").append(d.producerId()).append('/')
              .append(d.producerEpoch()).append(" timeout ").append(d.transactionTimeoutMs()).append(" ms started ")
              .append(d.transactionStartTimeMs().isPresent() ? Instant.ofEpochMilli(d.transactionStartTimeMs()
                  .getAsLong()) : "?").append(" partitions ").append(d.topicPartitions()).append('\n');
        }
      });
      return out.length() == 0 ? "none" : out.toString();
    } catch (Exception e) {
      return "cannot list them: " + e;
    }
  }

  /** The last {@code chars} characters of the children's console output. */
  String tail(final int chars) {
    return jvm.tail(chars);
  }

  /** Stops the child (SIGTERM, SIGKILL after 40 s) and keeps its logs in {@code target/fault-logs}. */
  @Override
  public void close() throws InterruptedException {
    try {
      jvm.close();
    } finally {
      ChildJvm.keepLog(log(), name + ".log");
      ChildJvm.keepGcLogs(log(), name);
      if (Files.exists(rskLog())) {
        ChildJvm.keepLog(rskLog(), name + "-rsk.log");
      }
    }
  }
}
