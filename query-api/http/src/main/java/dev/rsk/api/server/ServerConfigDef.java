package dev.rsk.api.server;

import static dev.rsk.api.server.ServerConfig.ADVERTISED_HOST;
import static dev.rsk.api.server.ServerConfig.API_TOKENS;
import static dev.rsk.api.server.ServerConfig.API_TOKENS_FILE;
import static dev.rsk.api.server.ServerConfig.CLUSTER_SECRET;
import static dev.rsk.api.server.ServerConfig.TLS_KEYSTORE_PASSWORD;
import static dev.rsk.api.server.ServerConfig.TLS_KEYSTORE_PATH;
import static dev.rsk.api.server.ServerConfig.TLS_KEYSTORE_TYPE;
import static dev.rsk.api.server.ServerConfig.TLS_TRUSTSTORE_PASSWORD;
import static dev.rsk.api.server.ServerConfig.TLS_TRUSTSTORE_PATH;
import static dev.rsk.api.server.ServerConfig.TLS_TRUSTSTORE_TYPE;
import static dev.rsk.api.server.ServerConfig.HTTP_BIND;
import static dev.rsk.api.server.ServerConfig.HTTP_PORT;
import static dev.rsk.api.server.ServerConfig.REMOTE_TIMEOUT;
import static dev.rsk.api.server.ServerConfig.REPOSITORY_AGED_FRACTION;
import static dev.rsk.api.server.ServerConfig.REPOSITORY_FULL_FOR;
import static dev.rsk.api.server.ServerConfig.REPOSITORY_RETENTION;
import static dev.rsk.api.server.ServerConfig.RETENTION;
import static dev.rsk.api.server.ServerConfig.SKETCHES_DLQ_TOPIC;
import static dev.rsk.api.server.ServerConfig.SIMILARITY_BACKLOG;
import static dev.rsk.api.server.ServerConfig.SIMILARITY_BEAM;
import static dev.rsk.api.server.ServerConfig.SIMILARITY_CANDIDATES;
import static dev.rsk.api.server.ServerConfig.SIMILARITY_ENABLED;
import static dev.rsk.api.server.ServerConfig.SIMILARITY_M;
import static dev.rsk.api.server.ServerConfig.SIMILARITY_PREFIX;
import static dev.rsk.api.server.ServerConfig.SIMILARITY_REFRESH;
import static dev.rsk.api.server.ServerConfig.SKETCHES_TOPIC;
import static dev.rsk.api.server.ServerConfig.STATS_BUCKET;
import static dev.rsk.api.server.ServerConfig.STATS_RETENTION;
import static dev.rsk.api.server.ServerConfig.STORE_WAIT;
import static dev.rsk.api.server.ServerConfig.ANSWER_CACHE_BYTES;
import static dev.rsk.api.server.ServerConfig.ANSWER_MAX_STALENESS;
import static dev.rsk.api.server.ServerConfig.ITEMS_CACHE_BYTES;
import static dev.rsk.api.server.ServerConfig.MONTHS_CACHE_BYTES;
import static dev.rsk.config.ConfigDefs.define;
import static dev.rsk.config.Validators.iso;

import dev.rsk.api.ApiLimits;
import dev.rsk.config.ConfigDefs;
import dev.rsk.config.Validators;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.graph.HnswParams;
import dev.rsk.stats.graph.IndexSettings;
import dev.rsk.stats.concepts.ConceptConfig;
import dev.rsk.stats.concepts.ConceptParams;
import dev.rsk.streams.RocksDbMemory;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The server's keys, each declared once with its type, default, valid values and doc: {@link #OWN} are the
 * {@code rsk.*} keys, {@link #KAFKA} the Kafka keys the server needs, documents, or gives a default of its own.
 * The retention and timeout defaults are those of {@link StatsConfig#defaults} and {@link ApiLimits#defaults}.
 * Never changed after class initialisation; {@link ServerConfig#configDef()} hands out copies.
 * Longer than 300 lines because it is the one place every key of the server is declared, with its doc (as Kafka's
 * own config classes are).
 */
final class ServerConfigDef {

  static final ConfigDef OWN = own();
  static final ConfigDef KAFKA = kafka();
  /** {@code kafka.producer.batch.size} unless configured: 256 KB, the processor's too. */
  static final int DEFAULT_PRODUCER_BATCH_SIZE = 256 * 1024;
  /** {@code kafka.num.stream.threads} unless configured. */
  static final int DEFAULT_STREAM_THREADS = 4;

  private ServerConfigDef() {}

  private static ConfigDef own() {
    final ConfigDef d = new ConfigDef();
    final ApiLimits api = ApiLimits.defaults();
    define(d, "HTTP", HTTP_PORT, Type.INT, 8080, Range.between(0, 65_535), Importance.HIGH,
        "HTTP listener port (0 = ephemeral).");
    define(d, "HTTP", HTTP_BIND, Type.STRING, "0.0.0.0", null, Importance.MEDIUM, "HTTP listener address.");
    define(d, "HTTP", ADVERTISED_HOST, Type.STRING, null, null, Importance.MEDIUM,
        "Host other instances reach this one at; used when kafka.application.server is not given.",
        "the host name");
    define(d, "Stats", SKETCHES_TOPIC, Type.STRING, StatsConfig.DEFAULT_SKETCHES_TOPIC, Validators.nonBlank(),
        Importance.HIGH, "Input topic, keyed by inference id (StringSerializer).");
    define(d, "Stats", SKETCHES_DLQ_TOPIC, Type.STRING, null, null, Importance.MEDIUM,
        "Dead-letter topic of the stats topology (it must exist): every sketch record that cannot be read or"
            + " aggregated, as received, with Kafka Streams' headers __streams.errors.exception/message/topic/"
            + "partition/offset saying why.", "`<rsk.topic.sketches>-dlq`");
    define(d, "Stats", RETENTION, Type.STRING, iso(StatsConfig.DEFAULT_RETENTION), Validators.isoDuration(),
        Importance.MEDIUM, "Hourly counts (presence, inferences) and daily/monthly sketch sums are kept this long,"
            + " by event time.");
    define(d, "Stats", STATS_BUCKET, Type.STRING, iso(StatsConfig.DEFAULT_STATS_BUCKET), Validators.isoDuration(),
        Importance.MEDIUM, "Attribute-statistics buckets (whole hours).");
    define(d, "Stats", STATS_RETENTION, Type.STRING, iso(StatsConfig.DEFAULT_RETENTION), Validators.isoDuration(),
        Importance.MEDIUM, "Attribute-statistics buckets are kept this long.");
    define(d, "Stats", REPOSITORY_RETENTION, Type.STRING, iso(StatsConfig.DEFAULT_RETENTION),
        Validators.isoDuration(), Importance.MEDIUM, "Sketches older than this (by event time, relative to the"
            + " newest seen) are deleted, at most 10,000 per 10-minute clean-up.");
    define(d, "Stats", REPOSITORY_FULL_FOR, Type.STRING, iso(StatsConfig.DEFAULT_REPOSITORY_FULL_FOR),
        Validators.isoDuration(), Importance.MEDIUM, "Sketches keep all d coordinates this long (by event time,"
            + " relative to the newest seen), then only the first aged.fraction * d (graceful erasure).");
    define(d, "Stats", REPOSITORY_AGED_FRACTION, Type.DOUBLE, StatsConfig.DEFAULT_AGED_FRACTION,
        Range.between(0.001, 1.0), Importance.MEDIUM, "Fraction q of the coordinates an aged sketch keeps;"
            + " its readouts' standard errors grow by about 1/sqrt(q).");
    define(d, "Stats", ServerConfig.EXACT_DIMS, Type.INT, StatsConfig.DEFAULT_EXACT_DIMS, Range.between(1, 65_535),
        Importance.MEDIUM, "Exact attribute data is kept for the first N dimensions of each module: each"
            + " inference's attribute sums in the repository (exact query terms such as cat[0] > 0.5) and the"
            + " per-dimension mean, variance and quantiles of the stats route. Wider dimensions (an embedding) are"
            + " answered from the sketch with its stated error (decoded query terms, fromSums), so their exact data"
            + " does not cost as much as the raw events (docs/exact-stats.md).");
    define(d, "Stats", ServerConfig.REPOSITORY_ITEMS_MAX, Type.INT, StatsConfig.DEFAULT_REPOSITORY_ITEMS_MAX,
        Range.atLeast(0), Importance.LOW, "A fine (rsk.stats.bucket) statistics row leaves its quantile items in"
            + " the repository while its bucket holds at most N inferences on a partition: a question reads them back,"
            + " one repository record per inference of the bucket, whatever its modules. Once the bucket holds more,"
            + " every row of it keeps its own KLL items (read once from the repository at that commit), so a question"
            + " over a busy bucket (today, while sketches arrive) reads none, and each commit that changes such a row"
            + " writes its KLL sketches (bounded by k = 200, not by the bucket's inferences). 0: every row keeps its"
            + " own items (docs/exact-stats.md).");
    define(d, "Stats", ServerConfig.REPOSITORY_CLEANUP_INTERVAL, Type.STRING, iso(StatsConfig.DEFAULT_CLEANUP_INTERVAL),
        Validators.isoDuration(), Importance.LOW, "Wall-clock period of the repository clean-up (ageing and"
            + " deletion, at most 10,000 sketches per tier and run); ./rsk bench-storage shortens it to see a year's"
            + " ageing in minutes.");
    define(d, "Stats", SketchesPurge.GROUPS, Type.LIST, "", null, Importance.MEDIUM, "Consumer groups (this"
        + " server's application.id among them, typically) whose committed offsets bound a purge of the sketches"
        + " topic: every rsk.topic.sketches.purge.interval, records below the lowest offset every group committed"
        + " are deleted (deleteRecords), as Kafka Streams does for repartition topics. Empty: no purge, the topic's"
        + " own retention rules. A purged sketch cannot be replayed (docs/api.md, Migration); list every downstream"
        + " consumer group of the topic.", "none (`rsk standalone` and `rsk demo`: their aggregator's)");
    define(d, "Stats", SketchesPurge.INTERVAL, Type.STRING, iso(SketchesPurge.DEFAULT_INTERVAL),
        Validators.isoDuration(), Importance.LOW, "Period of the sketches topic's purge.");
    ConfigDefs.defineRocksDbMemory(d, "Stats", RocksDbMemory.DEFAULT_BYTES);
    similarity(d);
    concepts(d);
    define(d, "API", STORE_WAIT, Type.STRING, iso(api.storeWait()), Validators.isoDuration(), Importance.LOW,
        "How long a query waits for a migrating store before 503.");
    define(d, "API", REMOTE_TIMEOUT, Type.STRING, iso(api.remoteTimeout()), Validators.isoDuration(),
        Importance.LOW, "Connect and request timeout of a call to another instance.");
    define(d, "API", ANSWER_CACHE_BYTES, Type.LONG, api.answerCacheBytes(), Range.atLeast(0L), Importance.LOW,
        "Heap bytes (estimated) of frequency, hours and stats answers kept for repeated questions: this"
            + " instance's parts of them, and whole answers (their JSON) when this instance holds every partition;"
            + " each only until the next commit or rebalance that changes its stores, so answers stay exact and"
            + " current (docs/api.md, Cost and speed); standby (stale) reads are never kept; 0: off.");
    define(d, "API", ANSWER_MAX_STALENESS, Type.STRING, iso(api.answerMaxStaleness()), Validators.isoDuration(),
        Importance.LOW, "How long after its read began a kept answer may still be served once a commit changed the"
            + " stores (ISO-8601; PT0S, the default: never, every answer is current as of the last commit). While"
            + " sketches keep arriving every commit (100 ms) changes the stores; with a bound, a question asked again"
            + " is answered from what was read at most this long ago, and one background thread reads it again once"
            + " it is a quarter of the bound old, so no request waits for it. Adds up to the bound to the lag from a"
            + " sketch to the answers (docs/api.md, Cost and speed).");
    define(d, "API", ITEMS_CACHE_BYTES, Type.LONG, api.itemsCacheBytes(), Range.atLeast(0L), Importance.LOW,
        "Heap bytes (estimated) of the KLL items that daily attribute-statistics rows leave in the repository, kept"
            + " across commits for the stats route: an entry serves only the row as it was read (its counts and"
            + " pinned items) and is dropped at a restore, a discarded transaction or a rebalance (docs/exact-stats.md,"
            + " The fine rows' quantile items are the repository's); standby reads are never kept; 0: off.");
    define(d, "API", MONTHS_CACHE_BYTES, Type.LONG, api.monthsCacheBytes(), Range.atLeast(0L), Importance.LOW,
        "Heap bytes (estimated) of what a question's range holds before its newest part (its last UTC day, or its"
            + " last month when whole), kept across commits per partition: 3/8 for whole months' hourly counts (per"
            + " module and month; stats, hours and frequency routes), 3/8 for the hourly counts before the newest part"
            + " (per module and range), 1/8 for the sums of sketches before it (stats route), 1/16 each for merged"
            + " month attribute statistics and for all attribute statistics before the newest part: an entry serves"
            + " only while no commit wrote its months (days), no newer row moved its store's retention horizon, and no"
            + " restore, discarded transaction or rebalance happened (docs/exact-stats.md, Month pieces and Range"
            + " prefixes kept across commits); standby reads are never kept; 0: off.");
    access(d);
    return d;
  }

  /** The similarity index (docs/graph.md "Knobs"). */
  private static void similarity(final ConfigDef d) {
    final IndexSettings x = IndexSettings.DEFAULTS;
    define(d, "Similarity", SIMILARITY_ENABLED, Type.BOOLEAN, x.enabled(), null, Importance.MEDIUM,
        "Keep an HNSW index per partition for POST /v1/similar; false: every search scans the repository (exact).");
    define(d, "Similarity", SIMILARITY_PREFIX, Type.INT, x.prefixLength(), Range.between(1, HnswParams.MAX_DIMENSIONS),
        Importance.LOW, "Coordinates m of each stored sketch the graph holds (int8; all of them if d is smaller);"
            + " candidates are re-ranked with the whole stored vector.");
    define(d, "Similarity", SIMILARITY_BACKLOG, Type.INT, x.backlogBound(), Range.atLeast(1), Importance.LOW,
        "Most sketches per partition stored but not yet in the graph (each search re-ranks them all); past it the"
            + " partition is answered by the exact scan while its indexer rebuilds from the repository.");
    define(d, "Similarity", SIMILARITY_M, Type.INT, x.hnsw().maxConn(), Range.between(2, 512), Importance.LOW,
        "HNSW M: neighbours per node (memory and build time for recall).");
    define(d, "Similarity", SIMILARITY_BEAM, Type.INT, x.hnsw().beamWidth(), Range.between(2, 3200), Importance.LOW,
        "HNSW efConstruction: beam while inserting (build time for recall).");
    define(d, "Similarity", SIMILARITY_CANDIDATES, Type.INT, x.hnsw().numCandidates(), Range.between(1, 10_000),
        Importance.LOW, "Candidates per partition and search: HNSW efSearch and the number re-ranked exactly (query"
            + " time for recall).");
    define(d, "Similarity", SIMILARITY_REFRESH, Type.STRING, iso(x.refresh()), Validators.isoDuration(),
        Importance.LOW, "Longest an indexed sketch waits before the graph shows it (also after every 1,000);"
            + " until then each search re-ranks it exactly from the backlog. Each refresh writes a Lucene segment.");
  }

  /** Concept detection (docs/concepts.md). */
  private static void concepts(final ConfigDef d) {
    final ConceptParams p = ConceptParams.DEFAULTS;
    define(d, "Concepts", ServerConfig.CONCEPTS_TOPIC, Type.STRING, ConceptConfig.DEFAULT_TOPIC,
        Validators.nonBlank(), Importance.MEDIUM, "Output topic of concept events (Avro ConceptEvent, registered"
            + " under <topic>-value), keyed by concept id; every instance reads it back for GET /v1/concepts.");
    define(d, "Concepts", ServerConfig.CONCEPTS_ENABLED, Type.BOOLEAN, true, null, Importance.MEDIUM,
        "Run concept detection when the concepts topic exists (checked once at start, within"
            + " rsk.api.remote.timeout); without the topic, or false, /v1/concepts answers 501.");
    define(d, "Concepts", ServerConfig.CONCEPTS_JOIN_COSINE, Type.DOUBLE, p.joinCosine(), Range.between(0.01, 0.99),
        Importance.MEDIUM, "A sketch joins the nearest micro-cluster at this cosine to its centroid (capped at"
            + " 1 - 3 sqrt(2/d), the sketch's noise floor), else starts a new one; a dense new cluster is a concept"
            + " only if its centroid is below this cosine to every older cluster.");
    define(d, "Concepts", ServerConfig.CONCEPTS_EMERGE_MEMBERS, Type.INT, p.emergeMembers(),
        Range.between(2, 10_000), Importance.MEDIUM,
        "A micro-cluster born after the warm-up becomes a concept when this many members fall within the window.");
    define(d, "Concepts", ServerConfig.CONCEPTS_EMERGE_WINDOW, Type.STRING, iso(p.emergeWindow()),
        Validators.isoDuration(), Importance.MEDIUM, "Event-time window of the emergence test.");
    define(d, "Concepts", ServerConfig.CONCEPTS_WARMUP, Type.STRING, iso(p.warmup()), Validators.isoDuration(),
        Importance.MEDIUM, "Micro-clusters born within this much event time of a parameter key's first sketch are"
            + " the baseline, never reported.");
    define(d, "Concepts", ServerConfig.CONCEPTS_FADE_AFTER, Type.STRING, iso(p.fadeAfter()),
        Validators.isoDuration(), Importance.LOW, "A concept without members for this long (event time) fades.");
    define(d, "Concepts", ServerConfig.CONCEPTS_MAX_CLUSTERS, Type.INT, p.maxClusters(), Range.atLeast(1),
        Importance.LOW, "Most micro-clusters kept per parameter key (each holds a float32 centroid of d values);"
            + " beyond it the forming cluster seen least recently is dropped.");
    define(d, "Concepts", ServerConfig.CONCEPTS_PUBLISH_INTERVAL, Type.STRING,
        iso(ConceptConfig.DEFAULT_PUBLISH_INTERVAL), Validators.isoDuration(), Importance.LOW,
        "Wall-clock period at which concepts that gained members are published (GREW) and fading is checked.");
  }

  /** Tokens, the cluster secret and TLS (docs/api.md "Access"). */
  private static void access(final ConfigDef d) {
    define(d, "Access", API_TOKENS, Type.PASSWORD, null, null, Importance.HIGH,
        "Comma-separated bearer tokens accepted on /v1 routes (env RSK_API_TOKENS=t1,t2). With tokens (here or in"
            + " the file) every /v1 route answers 401 without 'Authorization: Bearer <token>'; unset = no"
            + " authentication. /health, /ready, /metrics and /openapi.json stay open.", "none");
    define(d, "Access", API_TOKENS_FILE, Type.STRING, null, null, Importance.HIGH,
        "File of bearer tokens, one per line (blank and # lines ignored), added to rsk.api.tokens; read at start.",
        "none");
    define(d, "Access", CLUSTER_SECRET, Type.PASSWORD, null, null, Importance.HIGH,
        "Shared secret instances send each other (header X-Rsk-Cluster-Secret) on the /internal routes, which"
            + " answer 401 without it; client tokens are never accepted there. Required when tokens are set;"
            + " the same on every instance.", "none");
    define(d, "Access", TLS_KEYSTORE_PATH, Type.STRING, null, null, Importance.HIGH,
        "Keystore (certificate and private key) of the listener: when set, the port speaks HTTPS only, and"
            + " instances call each other over HTTPS.", "none (plain HTTP)");
    define(d, "Access", TLS_KEYSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.HIGH,
        "Password of the keystore (and of its key).", "none");
    define(d, "Access", TLS_KEYSTORE_TYPE, Type.STRING, "PKCS12", Validators.nonBlank(), Importance.LOW,
        "Keystore type (PKCS12, JKS).");
    define(d, "Access", TLS_TRUSTSTORE_PATH, Type.STRING, null, null, Importance.MEDIUM,
        "Trust store this instance verifies other instances' certificates with, over TLS.",
        "the JDK's default trust store");
    define(d, "Access", TLS_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.MEDIUM,
        "Password of the trust store.", "none");
    define(d, "Access", TLS_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Validators.nonBlank(), Importance.LOW,
        "Trust store type (PKCS12, JKS).");
  }

  private static ConfigDef kafka() {
    final ConfigDef d = new ConfigDef();
    final String k = ServerConfig.KAFKA_PREFIX;
    define(d, "Kafka", k + StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, null,
        Importance.HIGH, "Kafka brokers.");
    define(d, "Kafka", k + "schema.registry.url", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, null, Importance.HIGH,
        "Confluent-compatible registry (value serde of the sketches topic).");
    define(d, "Kafka", k + StreamsConfig.APPLICATION_ID_CONFIG, Type.STRING, ServerConfig.DEFAULT_APPLICATION_ID,
        null, Importance.HIGH, "The same on every instance.");
    define(d, "Kafka", k + StreamsConfig.APPLICATION_SERVER_CONFIG, Type.STRING, null, null, Importance.HIGH,
        "How other instances reach this one (host:port); must be unique per instance.",
        "`<rsk.http.advertised.host>:<bound port>`");
    define(d, "Kafka", k + StreamsConfig.STATE_DIR_CONFIG, Type.STRING, null, null, Importance.MEDIUM,
        "RocksDB state.", "Kafka Streams default");
    define(d, "Kafka", k + StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Type.INT, null, null, Importance.MEDIUM,
        "Standby copies, used for stale answers while an owner is unavailable.", "0 (Kafka Streams default)");
    // A thread waits on every exactly-once commit (the producer's flush, the transaction markers); the others
    // aggregate meanwhile. A year published into the demo became queryable after its last sketch in 12-17 s with
    // one thread, 1.4-2.9 s with two, 0.0-0.2 s with four (one per partition; docs/exact-stats.md, The lag).
    define(d, "Kafka", k + StreamsConfig.NUM_STREAM_THREADS_CONFIG, Type.INT, DEFAULT_STREAM_THREADS,
        Range.atLeast(1), Importance.MEDIUM, "Stream threads of the stats topology on this instance (Kafka Streams'"
            + " own default is 1): while one waits for its exactly-once commit, the others aggregate. Threads beyond"
            + " this instance's share of the sketches topic's partitions stay idle. While a backlog drains, threads"
            + " run days apart in event time; concept emergence judges density on event times up to 400 days apart"
            + " (docs/concepts.md). On two cores, fewer threads may leave more CPU to queries while sketches arrive"
            + " steadily (docs/api.md, With sketches arriving).");
    define(d, "Kafka", k + StreamsConfig.PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
        null, Importance.MEDIUM, "Processing guarantee of the stats topology.");
    ConfigDefs.defineCompactedChangelogs(d);
    define(d, "Kafka", k + "producer." + ProducerConfig.COMPRESSION_TYPE_CONFIG, Type.STRING, "zstd", null,
        Importance.LOW, "Compression of what the stats topology writes (changelogs, DLQ, concepts): module"
            + " names, keys and counts compress; float sums and int8 sketches barely do. zstd keeps the changelogs"
            + " smaller than lz4 (docs/exact-stats.md, Bytes on disk) for a little more CPU per batch.");
    // A commit writes each changelog partition's records of 100 ms (a repository record is ~1.5 KB) and the
    // broker's cost is per batch: 16 KB batches made rsk's aggregator send several per partition and commit.
    // 256 KB ones were faster in 7 of 7 interleaved bench-stats pairs (13-38% more sketches/s), as they were for
    // the processor (docs/exact-stats.md, Session 26).
    define(d, "Kafka", k + StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Type.INT,
        DEFAULT_PRODUCER_BATCH_SIZE, Range.atLeast(1), Importance.LOW, "Producer batch size of the stats topology"
            + " (Kafka's default is 16 KB): fewer, larger batches per commit cost the broker less per sketch.");
    // A record is never allowed to stop the topology; Streams counts the dropped ones in dropped-records and
    // writes them to the dead-letter topic (rsk.topic.sketches.dlq).
    define(d, "Kafka", k + StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS,
        LogAndContinueExceptionHandler.class, null, Importance.LOW,
        "Records that cannot be read are logged and written to the dead-letter topic.");
    define(d, "Kafka", k + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS,
        LogAndContinueProcessingExceptionHandler.class, null, Importance.LOW,
        "Records whose processing fails (invalid sketches included) are logged and written to the dead-letter"
            + " topic.");
    // Without it Kafka Streams warns at every start; it extends the same never-die rule to global stores.
    define(d, "Kafka", k + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, Type.BOOLEAN, true,
        null, Importance.LOW, "The processing exception handler also covers global stores.");
    return d;
  }
}
