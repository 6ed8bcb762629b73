package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.HoursResponse;
import dev.rsk.stats.query.HourRows;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/** How often a module was seen: per time bucket and per hour of the day, from the hourly counts (exact). */
final class FrequencyService {

  private final ScatterGather<InternalApi> cluster;

  FrequencyService(final ScatterGather<InternalApi> cluster) {
    this.cluster = cluster;
  }

  FrequencyResponse frequency(final String module, final Range range, final Duration bucket) {
    final ScatterGather.Gathered<InternalDtos.Hourly> g = gatherHourly(module, range);
    final long bucketMs = bucket.toMillis();
    final int n = (int) ((range.toMs() - range.fromMs() + bucketMs - 1) / bucketMs);
    final long[][] buckets = new long[n][3];
    final long[] total = new long[3];
    forEachRow(g, (hour, inferences, withModule, objects) -> {
      final long[] b = buckets[(int) ((hour - range.fromMs()) / bucketMs)];
      b[0] += inferences;
      b[1] += withModule;
      b[2] += objects;
      total[0] += inferences;
      total[1] += withModule;
      total[2] += objects;
    });
    final List<FrequencyResponse.Bucket> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(new FrequencyResponse.Bucket(Json.instant(range.fromMs() + i * bucketMs), buckets[i][0],
          buckets[i][1], buckets[i][2]));
    }
    return new FrequencyResponse(module, Json.instant(range.fromMs()), Json.instant(range.toMs()),
        iso(bucket), total[0], total[1], total[2], ratio(total[1], total[0]), rows, true, g.instances(),
        g.stale());
  }

  HoursResponse hours(final String module, final Range range, final ZoneId zone) {
    final ScatterGather.Gathered<InternalDtos.Hourly> g = gatherHourly(module, range);
    final long[][] hours = new long[24][2];
    final long[] total = new long[2];
    // The zone's rules once per request (ZoneOffset.getRules() builds new rules on every call).
    final ZoneRules rules = zone.getRules();
    forEachRow(g, (hour, inferences, withModule, objects) -> {
      // The local hour containing the bucket's start (exact for zones with whole-hour offsets).
      final int h = localHour(hour, rules);
      hours[h][0] += inferences;
      hours[h][1] += withModule;
      total[0] += inferences;
      total[1] += withModule;
    });
    final List<HoursResponse.Hour> rows = new ArrayList<>(24);
    int peak = -1;
    for (int h = 0; h < 24; h++) {
      rows.add(new HoursResponse.Hour(h, hours[h][0], hours[h][1], ratio(hours[h][1], hours[h][0])));
      if (hours[h][1] > 0 && (peak < 0 || hours[h][1] > hours[peak][1])) {
        peak = h;
      }
    }
    return new HoursResponse(module, Json.instant(range.fromMs()), Json.instant(range.toMs()), zone.getId(),
        total[0], total[1], rows, peak, true, g.instances(), g.stale());
  }

  /** The hour of the day (0-23) at {@code t} in a zone of {@code rules}: what {@code atZone(zone).getHour()} gives. */
  static int localHour(final long t, final ZoneRules rules) {
    final long local = Math.floorDiv(t, 1000L) + rules.getOffset(Instant.ofEpochMilli(t)).getTotalSeconds();
    return (int) Math.floorMod(Math.floorDiv(local, 3600L), 24L);
  }

  /** The hourly rows of every partition; 404 if no partition knows the module. */
  private ScatterGather.Gathered<InternalDtos.Hourly> gatherHourly(final String module, final Range range) {
    final ScatterGather.Gathered<InternalDtos.Hourly> g = cluster.gather((instance, partitions, stale) ->
        instance.hourly(module, range.fromMs(), range.toMs(), partitions, stale));
    if (g.parts().stream().allMatch(h -> h.attributeLength() < 0)) {
      throw CatalogueService.unknownModule(module);
    }
    return g;
  }

  private static void forEachRow(final ScatterGather.Gathered<InternalDtos.Hourly> g, final HourRows.RowVisitor f) {
    g.parts().forEach(part -> part.rows().forEach(f));
  }

  /** ISO-8601 text of a bucket, in days when it is whole days (P1D, not PT24H). */
  static String iso(final Duration d) {
    return d.toHours() % 24 == 0 ? "P" + d.toDays() + "D" : d.toString();
  }

  private static double ratio(final long a, final long b) {
    return b == 0 ? 0.0 : (double) a / b;
  }
}
