package dev.rsk.api.internal;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.query.HourRows;
import dev.rsk.stats.query.SimilarMatch;
import java.util.List;

/** JSON bodies of the {@code /internal/v1} routes instances use to gather from each other. */
public final class InternalDtos {

  private InternalDtos() {}

  /** Partial catalogue of some partitions. */
  public record Catalogue(List<CatalogueEntry> entries) {}

  /** Partial network (per module what complete DAGs showed) of some partitions. */
  public record Network(List<NetworkEntry> entries) {}

  /**
   * Hourly rows of a module over some partitions.
   *
   * @param attributeLength the module's k in these partitions' catalogue, -1 if unknown there
   * @param rows [hour start ms, inferences, withModule, objects] (JSON: an array of such arrays)
   */
  public record Hourly(int attributeLength,
      @JsonSerialize(using = HourRowsJson.Writer.class) @JsonDeserialize(using = HourRowsJson.Reader.class)
      HourRows rows) {}

  /** One partial sum of sketches. */
  public record Sum(SketchParamsJson params, long count, float[] sum) {}

  /**
   * Everything the stats answer needs from some partitions.
   *
   * @param rows rows [start, inferences, withModule, objects] whose sums are the partitions' counts over the range:
   *     one row of totals (none when all are zero); an instance of an earlier version sends one per hour
   * @param attributeStats base64 of the merged AttributeStats image of each attribute length found in the range
   *     (one when the module's length did not change), empty if none
   */
  public record ModuleStats(int attributeLength,
      @JsonSerialize(using = HourRowsJson.Writer.class) @JsonDeserialize(using = HourRowsJson.Reader.class)
      HourRows rows, List<String> attributeStats, List<Sum> sums) {}

  /** A similarity query sent to one instance. */
  public record SimilarQuery(float[] vector, SketchParamsJson params, int k, String excludeId,
      List<Integer> partitions, boolean stale) {}

  /** Its answer. */
  public record SimilarAnswer(List<SimilarMatch> matches, long scanned) {}

  /**
   * A memory query sent to one instance: the texts (each instance parses them again), the range and
   * buckets in epoch ms, the zone id, its partitions and the milliseconds it may spend scanning.
   */
  public record QueryAsk(String where, List<String> select, long fromMs, long toMs, long bucketMs, String zone,
      List<Integer> partitions, boolean stale, long budgetMs, Boolean pathsFromSketches) {}
}
