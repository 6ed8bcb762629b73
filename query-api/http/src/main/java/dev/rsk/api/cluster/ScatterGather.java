package dev.rsk.api.cluster;

import dev.rsk.api.ApiLimits;
import dev.rsk.api.model.InstanceStatus;
import dev.rsk.stats.query.StoreUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the instances that hold the partitions for their parts of an answer: all-key queries from every
 * active owner (in parallel), key lookups from the key's owner; an owner that cannot answer is replaced
 * by a standby copy, and the answer is marked stale. Nothing is merged here.
 *
 * <p>Each instance is reached through a view of type {@code A} ({@code instances.apply(host)}: this
 * instance's local answers, or a client of another instance). An instance "cannot answer" when its view
 * throws {@link StoreUnavailableException} or a {@link ClusterException.Kind#REMOTE_ERROR}; any other
 * exception (a 404 from another instance, a bad request) propagates unchanged. Remote calls are bounded by
 * their own timeouts; waiting for a parallel one is also bounded (twice the remote timeout plus the
 * store wait).
 *
 * @param <A> the view of one instance
 */
public final class ScatterGather<A> implements AutoCloseable {

  /** A question one instance answers about some of its partitions (stale: they are standby copies). */
  @FunctionalInterface
  public interface PartitionQuery<A, T> {
    T ask(A instance, Set<Integer> partitions, boolean stale);
  }

  /** A question about one key, answered by the instance holding its partition. */
  @FunctionalInterface
  public interface KeyQuery<A, T> {
    T ask(A instance, int partition, boolean stale);
  }

  /** Every instance's part of a gathered answer, which instance answered how, and whether any is stale. */
  public record Gathered<T>(List<T> parts, List<InstanceStatus> instances, boolean stale) {}

  /** A key's answer and the instance that gave it ({@code host:port}); stale if from a standby. */
  public record Located<T>(T value, String instance, boolean stale) {}

  private final ClusterMetadata metadata;
  private final Function<HostInfo, A> instances;
  private final long awaitMs;
  private final int retryAfterSeconds;
  private final ExecutorService executor;

  public ScatterGather(final ClusterMetadata metadata, final Function<HostInfo, A> instances,
      final ApiLimits limits) {
    this.metadata = metadata;
    this.instances = instances;
    this.awaitMs = limits.remoteTimeout().toMillis() * 2 + limits.storeWait().toMillis();
    this.retryAfterSeconds = limits.retryAfterSeconds();
    final AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      final Thread t = new Thread(r, "rsk-gather-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Asks every active owner for its partitions; an owner that cannot answer, and a partition that has no
   * active owner at all, is replaced by standby copies (stale). The answer covers every partition of the
   * topic ({@link ClusterMetadata.Assignment#partitionCount()}) or is an exception: never silently partial.
   *
   * @throws ClusterException {@link ClusterException.Kind#UNAVAILABLE} while the assignment is in flux,
   *     or when some partition is answered by no instance (with who answered and what is missing)
   */
  public <T> Gathered<T> gather(final PartitionQuery<A, T> query) {
    final ClusterMetadata.Assignment a = metadata.partitionsPerInstance();
    final List<T> parts = new ArrayList<>();
    final List<InstanceStatus> statuses = new ArrayList<>();
    // Partitions no instance holds as active (a dead owner not yet replaced): only a standby can answer.
    final Set<Integer> missing = new TreeSet<>(a.unowned());
    final List<HostInfo> failed = new ArrayList<>();
    // Other instances are asked in parallel; this instance answers in the calling thread meanwhile.
    final Map<HostInfo, CompletableFuture<T>> remote = new LinkedHashMap<>();
    for (final Map.Entry<HostInfo, Set<Integer>> e : a.active().entrySet()) {
      if (!isSelf(e.getKey())) {
        remote.put(e.getKey(), CompletableFuture.supplyAsync(() -> ask(query, e.getKey(), e.getValue(), false),
            executor));
      }
    }
    for (final Map.Entry<HostInfo, Set<Integer>> e : a.active().entrySet()) {
      try {
        parts.add(isSelf(e.getKey()) ? ask(query, e.getKey(), e.getValue(), false) : await(remote.get(e.getKey())));
        statuses.add(status(e.getKey(), e.getValue(), "ok"));
      } catch (ClusterException | StoreUnavailableException ex) {
        rethrowUnlessInstanceFailure(ex);
        failed.add(e.getKey());
        missing.addAll(e.getValue());
        statuses.add(status(e.getKey(), e.getValue(), "unavailable"));
      }
    }
    final boolean stale = !missing.isEmpty() && fromStandbys(query, a.standby(), failed, missing, parts, statuses);
    if (!missing.isEmpty()) {
      throw ClusterException.partitionsMissing("partitions " + missing + " could not be queried on any instance "
          + "(state migrating or instance unreachable); retry shortly", retryAfterSeconds, statuses,
          List.copyOf(missing));
    }
    return new Gathered<>(parts, statuses, stale);
  }

  /**
   * True when this instance holds every partition as active right now, so that a gather asks no other instance;
   * false while the assignment is in flux (never waits).
   */
  public boolean allLocal() {
    final ClusterMetadata.Assignment a = metadata.assignmentNow();
    return a != null && a.unowned().isEmpty() && a.active().keySet().stream().allMatch(this::isSelf);
  }

  /** Asks standbys (not among {@code failed}) for the missing partitions; true if any answered. */
  private <T> boolean fromStandbys(final PartitionQuery<A, T> query, final Map<HostInfo, Set<Integer>> standby,
      final List<HostInfo> failed, final Set<Integer> missing, final List<T> parts,
      final List<InstanceStatus> statuses) {
    // The first live standby of each missing partition, grouped by host.
    final Map<HostInfo, Set<Integer>> plan = new LinkedHashMap<>();
    for (final int p : missing) {
      standby.entrySet().stream()
          .filter(s -> s.getValue().contains(p) && !failed.contains(s.getKey()))
          .findFirst()
          .ifPresent(s -> plan.computeIfAbsent(s.getKey(), h -> new TreeSet<>()).add(p));
    }
    boolean answered = false;
    for (final Map.Entry<HostInfo, Set<Integer>> e : plan.entrySet()) {
      try {
        parts.add(ask(query, e.getKey(), e.getValue(), true));
        missing.removeAll(e.getValue());
        answered = true;
        statuses.add(status(e.getKey(), e.getValue(), "stale"));
      } catch (ClusterException | StoreUnavailableException ex) {
        rethrowUnlessInstanceFailure(ex);
        statuses.add(status(e.getKey(), e.getValue(), "unavailable"));
      }
    }
    return answered;
  }

  /**
   * Asks the owner of {@code key} for it, then its standbys in turn (stale) if the owner cannot answer.
   * The value is whatever the first instance that answers returns (null included).
   *
   * @throws ClusterException {@link ClusterException.Kind#UNAVAILABLE} while no instance owns the key,
   *     or when neither the owner nor a standby can answer
   */
  public <T> Located<T> lookup(final String key, final KeyQuery<A, T> query) {
    final KeyQueryMetadata m = metadata.owner(key);
    final List<HostInfo> hosts = new ArrayList<>();
    hosts.add(m.activeHost());
    hosts.addAll(m.standbyHosts());
    RuntimeException last = null;
    for (int i = 0; i < hosts.size(); i++) {
      final HostInfo host = hosts.get(i);
      final boolean stale = i > 0;
      try {
        return new Located<>(query.ask(instances.apply(host), m.partition(), stale), MetadataService.name(host),
            stale);
      } catch (ClusterException | StoreUnavailableException e) {
        rethrowUnlessInstanceFailure(e);
        last = e;
      }
    }
    throw ClusterException.unavailable("the partition holding '" + key + "' is migrating: "
        + (last == null ? "" : last.getMessage()), retryAfterSeconds);
  }

  private <T> T ask(final PartitionQuery<A, T> query, final HostInfo host, final Set<Integer> partitions,
      final boolean stale) {
    return query.ask(instances.apply(host), partitions, stale);
  }

  private boolean isSelf(final HostInfo host) {
    return host.equals(metadata.self());
  }

  private static InstanceStatus status(final HostInfo host, final Set<Integer> partitions, final String status) {
    return new InstanceStatus(MetadataService.name(host), List.copyOf(partitions), status);
  }

  /** Only an instance that could not answer is replaced; other failures are the answer. */
  private static void rethrowUnlessInstanceFailure(final RuntimeException e) {
    if (e instanceof ClusterException c && c.kind() != ClusterException.Kind.REMOTE_ERROR) {
      throw c;
    }
  }

  /** The result of a parallel call; the call's own timeouts bound it, this bound is a safety net. */
  private <T> T await(final CompletableFuture<T> future) {
    try {
      return future.get(awaitMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw ClusterException.remote("remote call failed: " + e.getCause(), -1, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw ClusterException.remote("remote call timed out", -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ClusterException.remote("interrupted", -1, e);
    }
  }

  /** Stops the threads of parallel calls. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
