package dev.rsk.stats;

import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.serde.RepositoryView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The KLL items of a fine attribute-statistics row that the repository keeps ({@link
 * AttributeStats#repositoryItems()}): one per record of the row's bucket, read back from the time index and the
 * repository of one partition. Shared by the queries, which complete such a row, and the processor, which makes a
 * busy bucket's row keep its own items ({@link FineRows}). Read-only; iterators closed.
 */
public final class RepositoryItems {

  /** One inference's object count and exact attribute sums, as the repository keeps them. */
  public record Item(int count, double[] sums) {}

  private RepositoryItems() {}

  /**
   * The records indexed in [start, end) that are not {@link RepositoryView#statsPinned()}, have objects of
   * {@code module} with attribute length {@code length} and exact sums: their object count and the sums of the
   * first {@code tracked} dimensions, in time-index order. A time-index entry whose record is gone or has another
   * event time (a record re-sketched or deleted meanwhile) is skipped. Cost: one range scan and one point read
   * (about 1 KB at d = 1024) per inference indexed in the range, whatever its modules.
   *
   * @throws org.apache.kafka.common.errors.SerializationException on a corrupt repository record
   */
  public static List<Item> read(final ReadOnlyKeyValueStore<Bytes, byte[]> index,
      final ReadOnlyKeyValueStore<String, byte[]> repository, final String module, final long start, final long end,
      final int length, final int tracked) {
    final byte[] name = module.getBytes(StandardCharsets.UTF_8);
    final RepositoryView view = new RepositoryView();
    final List<Item> items = new ArrayList<>();
    // lowerBound(end) sorts before every key of time end: the inclusive range end is exclusive in time
    try (KeyValueIterator<Bytes, byte[]> it = index.range(TimeIndex.lowerBound(start), TimeIndex.lowerBound(end))) {
      while (it.hasNext()) {
        final Bytes key = it.next().key;
        final byte[] bytes = repository.get(TimeIndex.inferenceId(key));
        if (bytes == null) {
          continue;
        }
        view.reset(bytes);
        final int count = view.count(name);
        if (view.eventTime() != TimeIndex.eventTime(key) || view.statsPinned() || count <= 0
            || view.attributeLength(name) != length || Double.isNaN(view.attributeSum(name, 0))) {
          continue;
        }
        final double[] sums = new double[tracked];
        for (int i = 0; i < tracked; i++) {
          sums[i] = view.attributeSum(name, i);
        }
        items.add(new Item(count, sums));
      }
    }
    return items;
  }

  /** Adds each of {@code items} to {@code row}'s KLL sketches ({@link AttributeStats#addRepositoryObservation}). */
  public static void addTo(final AttributeStats row, final List<Item> items) {
    for (final Item item : items) {
      row.addRepositoryObservation(item.count(), item.sums());
    }
  }

  /**
   * Whether {@code items} repository items complete {@code row}: with the items it holds itself (its KLL
   * sketches' length; none without a tracked dimension), each of its observations has exactly one item.
   */
  public static boolean whole(final AttributeStats row, final long items) {
    return held(row) + items == row.observations();
  }

  /** The items {@code row} holds itself. */
  public static long held(final AttributeStats row) {
    return row.trackedDimensions() == 0 ? 0 : row.quantiles(0).getN();
  }
}
