package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.cluster.ClusterException;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalClient;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.internal.InternalRoutes;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.query.HourRows;
import dev.rsk.stats.query.SimilarMatch;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The internal client and the server's internal routes agree: a real Javalin server with the endpoints
 * {@link ApiServer} registers, over a recording stand-in for this instance's answers, answers every
 * client method with the arguments the client was given. An unattached {@link ApiServer} serves every
 * internal route (503 "starting", not 404).
 */
class InternalRoutesTest {

  static final SketchParamsJson PARAMS = new SketchParamsJson(16, 7L, 0.5, 0.5, 1);
  static final String MODULE = "cat & dog?#%ü";
  static final NetworkEntry NETWORK_ENTRY = new NetworkEntry("car", 2, 3L, 5L, 0L, new TreeMap<>(Map.of(1, 5L)),
      new TreeMap<>(Map.of("wheel0", new TreeMap<>(Map.of("wheel", 5L)))));
  static final List<String> CALLS = new ArrayList<>();
  static final InternalClient CLIENT = new InternalClient(Json.mapper(), Duration.ofSeconds(5));
  static Javalin app;
  static HostInfo host;

  /** Records each call as text and answers fixed values; "missing" has no sketch. */
  static final class Recording implements InternalApi {
    @Override
    public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
      CALLS.add("catalogue " + partitions + " " + stale);
      return new InternalDtos.Catalogue(List.of(new CatalogueEntry("cat", 1L, 2L, 3L, 4L, 5)));
    }

    @Override
    public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
      CALLS.add("network " + partitions + " " + stale);
      return new InternalDtos.Network(List.of(NETWORK_ENTRY));
    }

    @Override
    public InternalDtos.Hourly hourly(final String module, final long from, final long to,
        final Collection<Integer> partitions, final boolean stale) {
      CALLS.add("hourly " + module + " " + from + " " + to + " " + partitions + " " + stale);
      return new InternalDtos.Hourly(4, HourRows.flat(new long[] {3_600_000L, 2, 1, 3, 7_200_000L, 0, 0, 0}));
    }

    @Override
    public InternalDtos.ModuleStats stats(final String module, final long from, final long to, final long statsFrom,
        final long statsTo, final Collection<Integer> partitions, final boolean stale) {
      CALLS.add("stats " + module + " " + from + " " + to + " " + statsFrom + " " + statsTo + " " + partitions + " "
          + stale);
      return new InternalDtos.ModuleStats(4, HourRows.flat(new long[] {0, 1, 1, 2}), List.of("AAEC"),
          List.of(new InternalDtos.Sum(PARAMS, 9, new float[] {0.25f, -1f})));
    }

    @Override
    public StoredSketch sketch(final String inferenceId, final int partition, final boolean stale) {
      CALLS.add("sketch " + inferenceId + " " + partition + " " + stale);
      return inferenceId.equals("missing") ? null : sketch(inferenceId);
    }

    static StoredSketch sketch(final String id) {
      return new StoredSketch(id, "cam-1", 42L, PARAMS, new float[] {1f, 2f}, 3, true, 0, Map.of("cat", 2),
          Map.of("cat", 4), 43L);
    }

    @Override
    public InternalDtos.SimilarAnswer similar(final InternalDtos.SimilarQuery q) {
      if (q.k() == 99) {
        throw ApiException.badRequest("k too large here");
      }
      CALLS.add("similar " + q.vector().length + " " + q.params() + " " + q.k() + " " + q.excludeId() + " "
          + q.partitions() + " " + q.stale());
      return new InternalDtos.SimilarAnswer(List.of(new SimilarMatch("inf-2", 0.5, 10L, "cam-2")), 7L);
    }
  }

  @BeforeAll
  static void start() {
    app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
    });
    InternalEndpoints.register(app, Recording::new, new JsonBodies(Json.mapper()));
    new HttpErrors(Json.mapper(), 5, () -> false).install(app);
    app.start("127.0.0.1", 0);
    host = new HostInfo("127.0.0.1", app.port());
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  private static String lastCall() {
    return CALLS.get(CALLS.size() - 1);
  }

  @Test
  void theRoutesAreTheOnesInstancesHaveAlwaysUsed() {
    assertThat(InternalRoutes.CATALOGUE).isEqualTo("/internal/v1/catalogue");
    assertThat(InternalRoutes.HOURLY).isEqualTo("/internal/v1/modules/{module}/hourly");
    assertThat(InternalRoutes.STATS).isEqualTo("/internal/v1/modules/{module}/stats");
    assertThat(InternalRoutes.INFERENCE).isEqualTo("/internal/v1/inferences/{id}");
    assertThat(InternalRoutes.SIMILAR).isEqualTo("/internal/v1/similar");
    assertThat(InternalRoutes.NETWORK).isEqualTo("/internal/v1/network");
    assertThat(InternalRoutes.expand(InternalRoutes.HOURLY, InternalRoutes.MODULE, "a b+c"))
        .isEqualTo("/internal/v1/modules/a%20b%2Bc/hourly");
    assertThatThrownBy(() -> InternalRoutes.expand(InternalRoutes.CATALOGUE, InternalRoutes.MODULE, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyClientMethodReachesItsRouteWithItsArguments() {
    assertThat(CLIENT.catalogue(host, List.of(0, 2, 3), false).entries())
        .containsExactly(new CatalogueEntry("cat", 1L, 2L, 3L, 4L, 5));
    assertThat(lastCall()).isEqualTo("catalogue [0, 2, 3] false");

    assertThat(CLIENT.network(host, List.of(1, 2), true).entries()).containsExactly(NETWORK_ENTRY);
    assertThat(lastCall()).isEqualTo("network [1, 2] true");

    final InternalDtos.Hourly hourly = CLIENT.hourly(host, MODULE, 100L, 200L, List.of(1), true);
    assertThat(lastCall()).isEqualTo("hourly " + MODULE + " 100 200 [1] true");
    assertThat(hourly.attributeLength()).isEqualTo(4);
    assertThat(hourly.rows().toList()).containsExactly(new long[] {3_600_000L, 2, 1, 3});

    final InternalDtos.ModuleStats stats = CLIENT.stats(host, MODULE, 100L, 200L, 0L, 86_400_000L, List.of(0, 1),
        false);
    assertThat(lastCall()).isEqualTo("stats " + MODULE + " 100 200 0 86400000 [0, 1] false");
    assertThat(stats.attributeStats()).containsExactly("AAEC");
    assertThat(stats.sums().get(0).params()).isEqualTo(PARAMS);
    assertThat(stats.sums().get(0).sum()).containsExactly(0.25f, -1f);

    assertThat(CLIENT.sketch(host, "inf 1/ü", 3, true))
        .usingRecursiveComparison().isEqualTo(Recording.sketch("inf 1/ü"));
    assertThat(lastCall()).isEqualTo("sketch inf 1/ü 3 true");

    final InternalDtos.SimilarAnswer similar = CLIENT.similar(host,
        new InternalDtos.SimilarQuery(new float[] {1f, 0f, 2f}, PARAMS, 5, "inf-1", List.of(2, 3), true));
    assertThat(lastCall()).isEqualTo("similar 3 " + PARAMS + " 5 inf-1 [2, 3] true");
    assertThat(similar.matches()).containsExactly(new SimilarMatch("inf-2", 0.5, 10L, "cam-2"));
    assertThat(similar.scanned()).isEqualTo(7L);
  }

  @Test
  void theViewOfOneInstanceCallsTheSameRoutes() {
    final InternalApi remote = CLIENT.at(host);
    remote.catalogue(List.of(1), true);
    assertThat(lastCall()).isEqualTo("catalogue [1] true");
    remote.network(List.of(3), false);
    assertThat(lastCall()).isEqualTo("network [3] false");
    remote.hourly("dog", 1L, 2L, List.of(0), false);
    assertThat(lastCall()).isEqualTo("hourly dog 1 2 [0] false");
    remote.stats("dog", 1L, 2L, 3L, 4L, List.of(0), true);
    assertThat(lastCall()).isEqualTo("stats dog 1 2 3 4 [0] true");
    remote.sketch("inf-9", 2, false);
    assertThat(lastCall()).isEqualTo("sketch inf-9 2 false");
    remote.similar(new InternalDtos.SimilarQuery(new float[] {1f}, PARAMS, 1, null, List.of(0), false));
    assertThat(lastCall()).isEqualTo("similar 1 " + PARAMS + " 1 null [0] false");
  }

  @Test
  void failuresOfTheOtherInstanceAreClusterExceptions() throws Exception {
    assertThatThrownBy(() -> CLIENT.sketch(host, "missing", 0, false))
        .isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.kind()).isEqualTo(ClusterException.Kind.NOT_FOUND);
          assertThat(e.getMessage()).isEqualTo("no stored inference with id 'missing'");
        });
    assertThatThrownBy(() -> CLIENT.similar(host,
        new InternalDtos.SimilarQuery(new float[] {1f}, PARAMS, 99, null, List.of(0), false)))
        .isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.kind()).isEqualTo(ClusterException.Kind.REMOTE_ERROR);
          assertThat(e.remoteStatus()).isEqualTo(400);
          assertThat(e.getMessage()).isEqualTo("instance " + host.host() + ":" + host.port()
              + " answered 400: k too large here");
        });
    final int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThatThrownBy(() -> CLIENT.catalogue(new HostInfo("127.0.0.1", closed), List.of(0), false))
        .isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.kind()).isEqualTo(ClusterException.Kind.REMOTE_ERROR);
          assertThat(e.remoteStatus()).isEqualTo(-1);
          assertThat(e.getMessage()).startsWith("instance 127.0.0.1:" + closed + " unreachable");
        });
  }

  @Test
  void theApiServerServesEveryInternalRoute() {
    try (ApiServer api = ApiServer.start("127.0.0.1", 0, ApiLimits.defaults(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      final HostInfo server = new HostInfo("127.0.0.1", api.port());
      // Not attached: a served route answers 503 "starting"; a route it did not serve would be a 404.
      final Consumer<Runnable> starting = call -> assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(ClusterException.class, e -> {
            assertThat(e.kind()).isEqualTo(ClusterException.Kind.REMOTE_ERROR);
            assertThat(e.remoteStatus()).isEqualTo(503);
            assertThat(e.getMessage()).endsWith("answered 503: the instance is starting");
          });
      starting.accept(() -> CLIENT.catalogue(server, List.of(0), false));
      starting.accept(() -> CLIENT.network(server, List.of(0), false));
      starting.accept(() -> CLIENT.hourly(server, "cat", 0L, 1L, List.of(0), false));
      starting.accept(() -> CLIENT.stats(server, "cat", 0L, 1L, 0L, 1L, List.of(0), false));
      starting.accept(() -> CLIENT.sketch(server, "inf-1", 0, false));
      starting.accept(() -> CLIENT.similar(server,
          new InternalDtos.SimilarQuery(new float[] {1f}, PARAMS, 1, null, List.of(0), false)));
    }
  }
}
