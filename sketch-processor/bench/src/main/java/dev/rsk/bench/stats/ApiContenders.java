package dev.rsk.bench.stats;

import dev.rsk.api.server.ServerConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
    if (o.threads() > 0) {
      contenders.replaceAll((name, extra) -> {
        final Map<String, String> with = new HashMap<>(extra);
        with.put("kafka." + StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(o.threads()));
        return with;
      });
    }
    return contenders;
  }
}
