package dev.rsk.bench.stats;

import dev.rsk.api.server.ServerConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/** bench-api's contenders: a name each, and the server properties that set it apart, in the order they run. */
final class ApiContenders {

  private ApiContenders() {}

  static Map<String, Map<String, String>> of(final ApiBenchmark.Options o) {
    final Map<String, Map<String, String>> contenders = new LinkedHashMap<>();
    if (o.cache().equals("both") || o.cache().equals("on")) {
      contenders.put("cache on", Map.of());
    }
    if (!o.cache().equals("on")) {
      contenders.put("cache off", Map.of(ServerConfig.ANSWER_CACHE_BYTES, "0"));
    }
    if (!o.staleness().isZero()) {
      contenders.put("cache on, stale <= " + o.staleness().toMillis() + " ms",
          Map.of(ServerConfig.ANSWER_MAX_STALENESS, o.staleness().toString()));
    }
    if (o.cache().equals("months")) { // the month pieces' cache's own effect, interleaved in one run
      contenders.put("cache off, months off", Map.of(ServerConfig.ANSWER_CACHE_BYTES, "0",
          ServerConfig.MONTHS_CACHE_BYTES, "0"));
    }
    if (!o.also().isEmpty()) {
      contenders.put("cache on, " + describe(o.also()), o.also());
    }
    if (o.threads() > 0 || !o.set().isEmpty()) {
      contenders.replaceAll((name, extra) -> {
        final Map<String, String> with = new HashMap<>(o.set());
        if (o.threads() > 0) {
          with.put("kafka." + StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(o.threads()));
        }
        with.putAll(extra); // a contender's own settings win over --set
        return with;
      });
    }
    return contenders;
  }

  /** {@code k=v} pairs in key order, comma-separated: a contender's name. */
  static String describe(final Map<String, String> settings) {
    return new TreeMap<>(settings).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
