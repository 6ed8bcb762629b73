package dev.rsk.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.FenceProducersOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the transactions a killed stack left open, before its exactly-once applications start again.
 *
 * <p>Why: a {@code kill -9} of the standalone JVM stops the processor's and the aggregator's transactional
 * producers mid-transaction. Their transactional offsets stay pending in the group coordinator, and a
 * restarted Kafka Streams task cannot read its committed offsets ({@code UNSTABLE_OFFSET_COMMIT}, retried every
 * {@code default.api.timeout.ms}) until the transaction ends. Nothing of the stack runs yet when this runs, so
 * every open transaction of its applications belongs to the dead process: fencing its transactional id (what
 * the restarted producer would do later) aborts it now, and a transaction still pending in
 * {@code __consumer_offsets} without an open transaction on the coordinator (a hanging transaction) gets an
 * abort marker. Only the stack's own transactional ids and groups are touched; each step is bounded and a
 * failure is logged, never fatal (the applications then wait for the broker's transaction timeout as before).
 */
final class LeftoverTransactions {

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverTransactions.class);
  private static final Set<TransactionState> DONE = Set.of(TransactionState.EMPTY,
      TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT);

  private final Admin admin;
  private final List<String> applicationIds;
  private final Duration bound;

  /**
   * @param applicationIds the stack's Kafka Streams application ids: their transactional ids start with
   *     {@code <applicationId>-} and their consumer groups are named after them
   * @param bound longest wait of each step
   */
  LeftoverTransactions(final Admin admin, final List<String> applicationIds, final Duration bound) {
    this.admin = admin;
    this.applicationIds = List.copyOf(applicationIds);
    this.bound = bound;
  }

  /** Aborts what the previous run left open; returns the number of transactions aborted (0 after a clean stop). */
  int abort() {
    int aborted = 0;
    try {
      final Map<String, TransactionDescription> open = openTransactions();
      if (!open.isEmpty()) {
        LOG.info("Aborting {} transaction(s) the previous run left open: {}", open.size(), describe(open));
        admin.fenceProducers(open.keySet(), new FenceProducersOptions().timeoutMs((int) bound.toMillis()))
            .all().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        aborted += open.size();
        awaitEnded(open.keySet());
      }
      aborted += abortHanging();
      LOG.info("Transactions left open by the previous run: {} aborted", aborted);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      LOG.warn("Could not end the transactions the previous run left open ({}); the applications wait for the "
          + "broker to time them out", e.toString());
    }
    return aborted;
  }

  /** The stack's transactions that are neither empty nor complete, by transactional id. */
  private Map<String, TransactionDescription> openTransactions()
      throws InterruptedException, ExecutionException, TimeoutException {
    final List<String> ours = new ArrayList<>();
    for (final TransactionListing t : admin.listTransactions().all().get(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      if (ours(t.transactionalId())) {
        ours.add(t.transactionalId());
      }
    }
    final Map<String, TransactionDescription> open = new HashMap<>();
    if (!ours.isEmpty()) {
      admin.describeTransactions(ours).all().get(bound.toMillis(), TimeUnit.MILLISECONDS).forEach((id, d) -> {
        if (!DONE.contains(d.state())) {
          open.put(id, d);
        }
      });
    }
    return open;
  }

  private boolean ours(final String transactionalId) {
    return applicationIds.stream().anyMatch(a -> transactionalId.startsWith(a + "-"));
  }

  private void awaitEnded(final Set<String> ids) throws InterruptedException, ExecutionException,
      TimeoutException {
    final long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      final Map<String, TransactionDescription> open = openTransactions();
      open.keySet().retainAll(ids);
      if (open.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("still open after " + bound + ": " + describe(open));
      }
      Thread.sleep(100);
    }
  }

  /**
   * When a group of the stack still has pending transactional offsets although none of its transactions is
   * open, writes an abort marker for every producer with a transaction in progress on {@code __consumer_offsets}
   * that the transaction coordinator does not know as open (what {@code kafka-transactions.sh find-hanging}
   * would report). Returns how many were aborted.
   */
  private int abortHanging() throws InterruptedException, ExecutionException, TimeoutException {
    if (applicationIds.stream().allMatch(this::stable)) {
      return 0;
    }
    final Set<Long> openProducers = new HashSet<>();
    for (final TransactionListing t : admin.listTransactions().all().get(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      if (t.state() != null && !DONE.contains(t.state())) {
        openProducers.add(t.producerId());
      }
    }
    final List<TopicPartition> offsets = new ArrayList<>();
    admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames()
        .get(bound.toMillis(), TimeUnit.MILLISECONDS).get(Topic.GROUP_METADATA_TOPIC_NAME).partitions()
        .forEach(p -> offsets.add(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, p.partition())));
    int aborted = 0;
    final var producers = admin.describeProducers(offsets, new DescribeProducersOptions())
        .all().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    for (final var e : producers.entrySet()) {
      for (final ProducerState p : e.getValue().activeProducers()) {
        if (p.currentTransactionStartOffset().isPresent() && !openProducers.contains(p.producerId())) {
          LOG.info("Aborting a hanging transaction on {}: producer {} epoch {} since offset {}", e.getKey(),
              p.producerId(), p.producerEpoch(), p.currentTransactionStartOffset().getAsLong());
          admin.abortTransaction(new AbortTransactionSpec(e.getKey(), p.producerId(), (short) p.producerEpoch(),
              p.coordinatorEpoch().orElse(0))).all().get(bound.toMillis(), TimeUnit.MILLISECONDS);
          aborted++;
        }
      }
    }
    return aborted;
  }

  /**
   * True when every partition the group has committed offsets for can be read under {@code require_stable}: the
   * admin client leaves out (with a warning) a partition whose offsets are pending in a transaction.
   */
  private boolean stable(final String group) {
    try {
      final Set<TopicPartition> committed = offsets(group, false).keySet();
      final Set<TopicPartition> stable = offsets(group, true).keySet();
      if (stable.containsAll(committed)) {
        return true;
      }
      final Set<TopicPartition> pending = new HashSet<>(committed);
      pending.removeAll(stable);
      LOG.info("Group {} has offsets pending in a transaction on {}", group, pending);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      LOG.info("Committed offsets of group {} not readable: {}", group, e.toString());
      return true;
    }
  }

  private Map<TopicPartition, ?> offsets(final String group, final boolean requireStable)
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(requireStable)
        .timeoutMs((int) bound.toMillis())).partitionsToOffsetAndMetadata()
        .get(bound.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String describe(final Map<String, TransactionDescription> open) {
    final StringBuilder out = new StringBuilder();
    open.forEach((id, d) -> out.append(id).append(' ').append(d.state()).append(" producer ").append(d.producerId())
        .append('/').append(d.producerEpoch()).append(" partitions ").append(d.topicPartitions()).append("; "));
    return out.toString();
  }
}
