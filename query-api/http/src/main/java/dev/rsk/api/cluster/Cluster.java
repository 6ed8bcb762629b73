package dev.rsk.api.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.ApiException;
import dev.rsk.api.ApiLimits;
import dev.rsk.api.model.InstanceStatus;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.query.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The instances of one application and how to reach them: which instance owns which partition of the
 * sketches topic (Kafka Streams metadata, from every instance's {@code application.server}), key
 * lookups routed to the owner, and all-key queries gathered from every owner, falling back to standby
 * copies (answer marked stale) when an owner cannot answer. Calls to other instances use
 * {@code java.net.http} with a connect and request timeout.
 */
public final class Cluster {

  private static final long POLL_MS = 50;

  private final KafkaStreams streams;
  private final HostInfo self;
  private final String sourceTopic;
  private final ApiLimits limits;
  private final ObjectMapper mapper;
  private final HttpClient http;
  private final ExecutorService executor;

  public Cluster(final KafkaStreams streams, final HostInfo self, final String sourceTopic,
      final ApiLimits limits, final ObjectMapper mapper) {
    this.streams = streams;
    this.self = self;
    this.sourceTopic = sourceTopic;
    this.limits = limits;
    this.mapper = mapper;
    this.http = HttpClient.newBuilder().connectTimeout(limits.remoteTimeout()).build();
    final AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      final Thread t = new Thread(r, "rsk-gather-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public HostInfo self() {
    return self;
  }

  public static String name(final HostInfo host) {
    return host.host() + ":" + host.port();
  }

  /** Active and standby partitions per instance. */
  public record Assignment(Map<HostInfo, Set<Integer>> active, Map<HostInfo, Set<Integer>> standby) {}

  /**
   * The current assignment; waits (bounded by the store wait) while this instance is not RUNNING or a
   * partition has no active owner, then answers 503.
   */
  public Assignment assignment() {
    final long deadline = System.nanoTime() + limits.storeWait().toNanos();
    while (true) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        final Assignment a = currentAssignment();
        if (a != null) {
          return a;
        }
      }
      if (System.nanoTime() >= deadline || stopping()) {
        throw ApiException.unavailable("state is migrating (Kafka Streams is " + streams.state()
            + "); retry shortly", limits.retryAfterSeconds(), null);
      }
      sleep();
    }
  }

  private Assignment currentAssignment() {
    final Collection<StreamsMetadata> all = streams.streamsMetadataForStore(StatsStores.REPOSITORY);
    final Map<HostInfo, Set<Integer>> active = new LinkedHashMap<>();
    final Map<HostInfo, Set<Integer>> standby = new LinkedHashMap<>();
    final Set<Integer> covered = new TreeSet<>();
    for (final StreamsMetadata m : all) {
      final Set<Integer> a = partitions(m.topicPartitions());
      final Set<Integer> s = partitions(m.standbyTopicPartitions());
      for (final int p : a) {
        if (!covered.add(p)) {
          return null; // two owners: metadata in flux
        }
      }
      if (!a.isEmpty()) {
        active.put(m.hostInfo(), a);
      }
      if (!s.isEmpty()) {
        standby.put(m.hostInfo(), s);
      }
    }
    if (covered.isEmpty() || ((TreeSet<Integer>) covered).last() != covered.size() - 1) {
      return null; // some partition without an owner
    }
    return new Assignment(active, standby);
  }

  private Set<Integer> partitions(final Set<TopicPartition> tps) {
    return tps.stream().filter(tp -> tp.topic().equals(sourceTopic)).map(TopicPartition::partition)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Where a key lives: its partition, active host and standby hosts; 503 while unknown. */
  public KeyQueryMetadata owner(final String inferenceId) {
    final long deadline = System.nanoTime() + limits.storeWait().toNanos();
    while (true) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        final KeyQueryMetadata m =
            streams.queryMetadataForKey(StatsStores.REPOSITORY, inferenceId, Serdes.String().serializer());
        if (m != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(m) && m.activeHost() != null
            && m.activeHost().port() > 0) {
          return m;
        }
      }
      if (System.nanoTime() >= deadline || stopping()) {
        throw ApiException.unavailable("no instance owns the key right now (Kafka Streams is "
            + streams.state() + "); retry shortly", limits.retryAfterSeconds(), null);
      }
      sleep();
    }
  }

  /** A query answered per instance for a set of partitions, locally or through HTTP. */
  public interface PartitionQuery<T> {
    T local(Set<Integer> partitions, boolean stale);

    T remote(HostInfo host, Set<Integer> partitions, boolean stale);
  }

  /** Every instance's part of a gathered answer. */
  public record Gathered<T>(List<T> parts, List<InstanceStatus> instances, boolean stale) {}

  /**
   * Asks every owner for its partitions; an owner that fails is replaced by standby copies of its
   * partitions (stale). If some partition has no instance that answers, 503 listing which answered.
   */
  public <T> Gathered<T> gather(final PartitionQuery<T> query) {
    final Assignment a = assignment();
    final List<T> parts = new ArrayList<>();
    final List<InstanceStatus> statuses = new ArrayList<>();
    final Set<Integer> missing = new TreeSet<>();
    final List<HostInfo> failed = new ArrayList<>();
    // Other instances are asked in parallel (their calls are bounded by the remote timeout); this
    // instance answers in the calling thread meanwhile.
    final Map<HostInfo, CompletableFuture<T>> remote = new LinkedHashMap<>();
    for (final Map.Entry<HostInfo, Set<Integer>> e : a.active().entrySet()) {
      if (!e.getKey().equals(self)) {
        remote.put(e.getKey(), CompletableFuture.supplyAsync(() -> query.remote(e.getKey(), e.getValue(), false),
            executor));
      }
    }
    for (final Map.Entry<HostInfo, Set<Integer>> e : a.active().entrySet()) {
      try {
        parts.add(e.getKey().equals(self) ? query.local(e.getValue(), false) : await(remote.get(e.getKey())));
        statuses.add(new InstanceStatus(name(e.getKey()), List.copyOf(e.getValue()), "ok"));
      } catch (RemoteException | StoreUnavailableException ex) {
        failed.add(e.getKey());
        missing.addAll(e.getValue());
        statuses.add(new InstanceStatus(name(e.getKey()), List.copyOf(e.getValue()), "unavailable"));
      }
    }
    boolean stale = false;
    if (!missing.isEmpty()) {
      // Standby copies, grouped by host, for the partitions whose owner failed.
      final Map<HostInfo, Set<Integer>> plan = new LinkedHashMap<>();
      for (final int p : missing) {
        a.standby().entrySet().stream()
            .filter(s -> s.getValue().contains(p) && !failed.contains(s.getKey()))
            .findFirst()
            .ifPresent(s -> plan.computeIfAbsent(s.getKey(), h -> new TreeSet<>()).add(p));
      }
      for (final Map.Entry<HostInfo, Set<Integer>> e : plan.entrySet()) {
        try {
          parts.add(call(query, e.getKey(), e.getValue(), true));
          missing.removeAll(e.getValue());
          stale = true;
          statuses.add(new InstanceStatus(name(e.getKey()), List.copyOf(e.getValue()), "stale"));
        } catch (RemoteException | StoreUnavailableException ex) {
          statuses.add(new InstanceStatus(name(e.getKey()), List.copyOf(e.getValue()), "unavailable"));
        }
      }
      if (!missing.isEmpty()) {
        final Map<String, Object> ext = new TreeMap<>();
        ext.put("instances", statuses);
        ext.put("missingPartitions", List.copyOf(missing));
        throw ApiException.unavailable("partitions " + missing + " could not be queried on any instance "
            + "(state migrating or instance unreachable); retry shortly", limits.retryAfterSeconds(), ext);
      }
    }
    return new Gathered<>(parts, statuses, stale);
  }

  /** The result of a remote call; its own timeouts bound it, this bound is a safety net. */
  private <T> T await(final CompletableFuture<T> future) {
    try {
      return future.get(limits.remoteTimeout().toMillis() * 2 + limits.storeWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new RemoteException("remote call failed: " + e.getCause(), -1, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RemoteException("remote call timed out", -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted", -1, e);
    }
  }

  /** Stops the threads of parallel calls. */
  public void close() {
    executor.shutdownNow();
  }

  private <T> T call(final PartitionQuery<T> query, final HostInfo host, final Set<Integer> partitions,
      final boolean stale) {
    return host.equals(self) ? query.local(partitions, stale) : query.remote(host, partitions, stale);
  }

  /** GET {@code path} (with query string) on {@code host}, parsed as {@code type}. */
  public <T> T get(final HostInfo host, final String pathAndQuery, final Class<T> type) {
    return send(host, HttpRequest.newBuilder(uri(host, pathAndQuery)).GET(), type);
  }

  /** POST {@code body} as JSON to {@code path} on {@code host}, answer parsed as {@code type}. */
  public <T> T post(final HostInfo host, final String path, final Object body, final Class<T> type) {
    final byte[] json;
    try {
      json = mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode request body", e);
    }
    return send(host, HttpRequest.newBuilder(uri(host, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)), type);
  }

  private static URI uri(final HostInfo host, final String pathAndQuery) {
    return URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
  }

  private <T> T send(final HostInfo host, final HttpRequest.Builder request, final Class<T> type) {
    final HttpResponse<byte[]> response;
    try {
      response = http.send(request.timeout(limits.remoteTimeout()).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RemoteException("instance " + name(host) + " unreachable: " + e, -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted calling " + name(host), -1, e);
    }
    if (response.statusCode() == 404) {
      throw ApiException.notFound(detail(response.body(), "not found on " + name(host)));
    }
    if (response.statusCode() != 200) {
      throw new RemoteException("instance " + name(host) + " answered " + response.statusCode() + ": "
          + detail(response.body(), ""), response.statusCode(), null);
    }
    try {
      return mapper.readValue(response.body(), type);
    } catch (IOException e) {
      throw new RemoteException("instance " + name(host) + " sent an unreadable answer: " + e, 200, e);
    }
  }

  private String detail(final byte[] body, final String fallback) {
    try {
      final var node = mapper.readTree(body);
      return node != null && node.has("detail") ? node.get("detail").asText() : fallback;
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }

  /** True when Streams will not become RUNNING again (waiting would not help). */
  private boolean stopping() {
    final KafkaStreams.State s = streams.state();
    return s == KafkaStreams.State.PENDING_SHUTDOWN || s == KafkaStreams.State.NOT_RUNNING
        || s == KafkaStreams.State.PENDING_ERROR || s == KafkaStreams.State.ERROR;
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted", 1, null);
    }
  }
}
