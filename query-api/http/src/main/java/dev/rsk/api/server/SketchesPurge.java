package dev.rsk.api.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges the {@code sketches} topic below what every listed consumer group has committed, the way Kafka Streams
 * purges its repartition topics: the topic is the processor -> aggregator hand-off, the repository is the
 * memory. Time retention cannot do it safely, because a sketch's record timestamp may be its event time, a year
 * old, and a time limit would delete sketches nobody has read; a size limit could too. Here a record is deleted
 * only once every group of {@link #GROUPS} has committed past it (under exactly-once, with the state it
 * changed); a partition that one of the groups has not committed yet is left whole. Off by default in
 * {@code rsk server} (empty list: the topic's own retention rules, as before); {@code rsk standalone} and
 * {@code rsk demo} list their aggregator. A purged sketch cannot be replayed (docs/api.md "Migration").
 *
 * <p>One daemon thread; every Admin call is bounded by the interval (at most 30 s); a failed run is logged and
 * the next one retries. {@code deleteRecords} only moves the log start offset: the broker deletes the segments
 * wholly below it at its next retention check ({@code log.retention.check.interval.ms}), never the active one.
 */
public final class SketchesPurge implements AutoCloseable {

  /** Consumer groups whose committed offsets bound the purge (empty: no purge). */
  public static final String GROUPS = "rsk.topic.sketches.purge.groups";
  /** Period of the purge. */
  public static final String INTERVAL = "rsk.topic.sketches.purge.interval";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Duration MAX_CALL = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(SketchesPurge.class);

  private final Admin admin;
  private final String topic;
  private final List<String> groups;
  private final long callMs;
  private final ScheduledExecutorService timer;
  /** Log start offsets this purge has asked for (only ever raised). */
  private final Map<TopicPartition, Long> purged = new HashMap<>();

  private SketchesPurge(final Admin admin, final String topic, final List<String> groups, final Duration interval) {
    this.admin = admin;
    this.topic = topic;
    this.groups = List.copyOf(groups);
    this.callMs = Math.min(interval.toMillis(), MAX_CALL.toMillis());
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "rsk-sketches-purge");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts purging {@code topic} every {@code interval} with an Admin client of {@code adminConfig}; null (nothing
   * started) when {@code groups} is empty.
   */
  public static SketchesPurge start(final Map<String, Object> adminConfig, final String topic,
      final List<String> groups, final Duration interval) {
    if (groups.isEmpty()) {
      return null;
    }
    final Map<String, Object> config = new HashMap<>(adminConfig);
    final int bound = (int) Math.min(interval.toMillis(), MAX_CALL.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, bound);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, bound);
    final SketchesPurge purge = new SketchesPurge(Admin.create(config), topic, groups, interval);
    purge.timer.scheduleWithFixedDelay(purge::runLogged, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("purging {} below the offsets committed by {} every {}", topic, groups, interval);
    return purge;
  }

  private void runLogged() {
    try {
      run();
    } catch (final ExecutionException | TimeoutException | RuntimeException e) {
      LOG.info("sketches purge skipped this run: {}", e.toString());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One run: per partition of the topic, the lowest offset committed by the groups, if every group committed one;
   * deletes the records below it when that is above the last purge.
   *
   * @return the partitions purged in this run, with the new log start offsets
   */
  Map<TopicPartition, Long> run() throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, Long> lowest = null;
    for (final String group : groups) {
      final Map<TopicPartition, Long> committed = new HashMap<>();
      final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(callMs, TimeUnit.MILLISECONDS);
      offsets.forEach((tp, om) -> {
        if (om != null && tp.topic().equals(topic)) {
          committed.put(tp, om.offset());
        }
      });
      if (lowest == null) {
        lowest = committed;
      } else {
        final Map<TopicPartition, Long> previous = lowest;
        lowest = new HashMap<>();
        for (final Map.Entry<TopicPartition, Long> e : committed.entrySet()) {
          final Long other = previous.get(e.getKey());
          if (other != null) { // a partition a group has not committed is not purged
            lowest.put(e.getKey(), Math.min(other, e.getValue()));
          }
        }
      }
    }
    final Map<TopicPartition, RecordsToDelete> request = new HashMap<>();
    final Map<TopicPartition, Long> out = new HashMap<>();
    for (final Map.Entry<TopicPartition, Long> e : lowest.entrySet()) {
      if (e.getValue() > purged.getOrDefault(e.getKey(), 0L)) {
        request.put(e.getKey(), RecordsToDelete.beforeOffset(e.getValue()));
        out.put(e.getKey(), e.getValue());
      }
    }
    if (!request.isEmpty()) {
      admin.deleteRecords(request).all().get(callMs, TimeUnit.MILLISECONDS);
      purged.putAll(out);
      LOG.debug("purged {} below {}", topic, out);
    }
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(callMs, TimeUnit.MILLISECONDS);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
