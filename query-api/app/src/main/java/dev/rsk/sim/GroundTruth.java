package dev.rsk.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exact truth about what the simulator generated, accumulated while generating: presence of every module by
 * month and by hour of day (in the simulation's zone), object counts and attribute means per module, and the content
 * of every inference. Exact: computed from the very float values that were published.
 *
 * <p>Memory: about 1 KB per inference for the per-inference content (~45 MB for the default year). Not thread-safe.
 */
public final class GroundTruth {

  private final SimulationConfig config;
  private final boolean keepInferences;
  private long inferences;
  private long events;
  private final TreeMap<YearMonth, Long> inferencesByMonth = new TreeMap<>();
  private final long[] inferencesByHour = new long[24];
  private final Map<String, TreeMap<YearMonth, Long>> presenceByMonth = new HashMap<>();
  private final Map<String, long[]> presenceByHour = new HashMap<>();
  private final Map<String, ModuleAccumulator> modules = new TreeMap<>();
  private final Map<String, InferenceContent> byId = new HashMap<>();
  private final List<InferenceContent> ordered = new ArrayList<>();

  /**
   * @param keepInferences whether to keep every inference's content (needed for per-inference questions and the
   *     {@code perInference} section of the JSON)
   */
  public GroundTruth(final SimulationConfig config, final boolean keepInferences) {
    this.config = config;
    this.keepInferences = keepInferences;
  }

  /** Presence of one module in one bucket (month or hour). */
  public record Presence(String bucket, Instant from, Instant to, long inferences, long withModule) {
    public double share() {
      return inferences == 0 ? 0.0 : (double) withModule / inferences;
    }
  }

  /** Totals of one module over the whole simulation. */
  public record ModuleTruth(String module, List<String> attributeNames, long inferencesWith, long objects,
      double[] meanAttributes, double[] stddevAttributes) {}

  /** Adds one generated inference. */
  public void add(final SimulatedInference inference) {
    final InferenceContent content = inference.content();
    inferences++;
    events += inference.events().size();
    final ZonedDateTime local = content.eventTime().atZone(config.zone());
    final YearMonth month = YearMonth.from(local);
    final int hour = local.getHour();
    inferencesByMonth.merge(month, 1L, Long::sum);
    inferencesByHour[hour]++;
    for (final String module : content.modules().keySet()) {
      presenceByMonth.computeIfAbsent(module, m -> new TreeMap<>()).merge(month, 1L, Long::sum);
      presenceByHour.computeIfAbsent(module, m -> new long[24])[hour]++;
      modules.computeIfAbsent(module, ModuleAccumulator::new).inferencesWith++;
    }
    inference.events().forEach(e -> {
      final ModuleAccumulator acc = modules.computeIfAbsent(e.getModule(), ModuleAccumulator::new);
      acc.add(e.getAttributes());
    });
    if (keepInferences) {
      byId.put(content.inferenceId(), content);
      ordered.add(content);
    }
  }

  public SimulationConfig config() {
    return config;
  }

  public long inferences() {
    return inferences;
  }

  public long events() {
    return events;
  }

  /** Presence of {@code module} per calendar month of the simulation's zone, in order; months without data omitted. */
  public List<Presence> presenceByMonth(final String module) {
    final Map<YearMonth, Long> with = presenceByMonth.getOrDefault(module, new TreeMap<>());
    final List<Presence> out = new ArrayList<>();
    inferencesByMonth.forEach((month, n) -> out.add(new Presence(month.toString(),
        month.atDay(1).atStartOfDay(config.zone()).toInstant(),
        month.plusMonths(1).atDay(1).atStartOfDay(config.zone()).toInstant(),
        n, with.getOrDefault(month, 0L))));
    return out;
  }

  /** Presence of {@code module} per hour of day (0 to 23) in the simulation's zone. */
  public List<Presence> presenceByHour(final String module) {
    final long[] with = presenceByHour.getOrDefault(module, new long[24]);
    final List<Presence> out = new ArrayList<>(24);
    for (int h = 0; h < 24; h++) {
      out.add(new Presence(String.format("%02d", h), null, null, inferencesByHour[h], with[h]));
    }
    return out;
  }

  /** Totals per module, by name. */
  public Map<String, ModuleTruth> modules() {
    final Map<String, ModuleTruth> out = new LinkedHashMap<>();
    modules.forEach((name, acc) -> out.put(name, acc.truth()));
    return out;
  }

  public ModuleTruth module(final String module) {
    final ModuleAccumulator acc = modules.get(module);
    return acc == null ? null : acc.truth();
  }

  /** The content of one inference, or null if unknown or not kept. */
  public InferenceContent inference(final String inferenceId) {
    return byId.get(inferenceId);
  }

  /** Every kept inference in generation order. */
  public List<InferenceContent> inferenceList() {
    return Collections.unmodifiableList(ordered);
  }

  /** Writes the truth as JSON (see docs/demo.md for the layout). */
  public void writeJson(final Path file) throws IOException {
    final Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      new ObjectMapper().writeValue(out, toJsonTree());
    }
  }

  /** The JSON document as plain maps and lists. */
  public Map<String, Object> toJsonTree() {
    final Map<String, Object> root = new LinkedHashMap<>();
    final Map<String, Object> gen = new LinkedHashMap<>();
    gen.put("days", config.days());
    gen.put("intervalMinutes", config.intervalMinutes());
    gen.put("seed", config.seed());
    gen.put("start", config.start().toString());
    gen.put("end", config.end().toString());
    gen.put("zone", config.zone().getId());
    gen.put("source", config.source());
    root.put("generator", gen);
    root.put("inferences", inferences);
    root.put("events", events);
    final Map<String, Object> mods = new LinkedHashMap<>();
    modules().forEach((name, m) -> {
      final Map<String, Object> j = new LinkedHashMap<>();
      j.put("k", m.attributeNames().size());
      j.put("attributes", m.attributeNames());
      j.put("inferencesWith", m.inferencesWith());
      j.put("objects", m.objects());
      j.put("meanAttributes", m.meanAttributes());
      j.put("stddevAttributes", m.stddevAttributes());
      j.put("byMonth", presenceJson(presenceByMonth(name)));
      j.put("byHour", presenceJson(presenceByHour(name)));
      mods.put(name, j);
    });
    root.put("modules", mods);
    final ModuleTruth cat = module(RoomModel.CAT);
    if (cat != null) {
      final Map<String, Object> size = new LinkedHashMap<>();
      size.put("objects", cat.objects());
      size.put("mean", cat.meanAttributes()[RoomModel.SIZE]);
      size.put("stddev", cat.stddevAttributes()[RoomModel.SIZE]);
      root.put("catSize", size);
    }
    if (keepInferences) {
      final List<Object> list = new ArrayList<>(ordered.size());
      for (final InferenceContent c : ordered) {
        final Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", c.inferenceId());
        j.put("eventTime", c.eventTime().toString());
        j.put("objects", c.objects());
        final Map<String, Object> m = new LinkedHashMap<>();
        c.modules().forEach((name, mc) -> m.put(name, Map.of(
            "count", mc.count(), "depth", mc.depth(), "meanAttributes", round(mc.meanAttributes()))));
        j.put("modules", m);
        list.add(j);
      }
      root.put("perInference", list);
    }
    return root;
  }

  private static List<Object> presenceJson(final List<Presence> presence) {
    final List<Object> out = new ArrayList<>(presence.size());
    for (final Presence p : presence) {
      final Map<String, Object> j = new LinkedHashMap<>();
      j.put("bucket", p.bucket());
      j.put("inferences", p.inferences());
      j.put("withModule", p.withModule());
      out.add(j);
    }
    return out;
  }

  private static double[] round(final double[] v) {
    final double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.round(v[i] * 1e4) / 1e4;
    }
    return out;
  }

  /** Running sums of one module's objects. */
  private static final class ModuleAccumulator {
    private final String module;
    private long inferencesWith;
    private long objects;
    private double[] sum;
    private double[] sumSquares;

    ModuleAccumulator(final String module) {
      this.module = module;
    }

    void add(final List<Float> attributes) {
      if (sum == null) {
        sum = new double[attributes.size()];
        sumSquares = new double[attributes.size()];
      }
      objects++;
      for (int j = 0; j < sum.length; j++) {
        final double v = attributes.get(j);
        sum[j] += v;
        sumSquares[j] += v * v;
      }
    }

    ModuleTruth truth() {
      final int k = sum == null ? 0 : sum.length;
      final double[] mean = new double[k];
      final double[] sd = new double[k];
      for (int j = 0; j < k; j++) {
        mean[j] = sum[j] / objects;
        sd[j] = Math.sqrt(Math.max(0.0, sumSquares[j] / objects - mean[j] * mean[j]));
      }
      return new ModuleTruth(module, RoomModel.ATTRIBUTES.getOrDefault(module, List.of()), inferencesWith, objects,
          mean, sd);
    }
  }
}
