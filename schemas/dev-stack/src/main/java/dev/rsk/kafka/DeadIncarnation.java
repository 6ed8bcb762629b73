package dev.rsk.kafka;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import kafka.server.ControllerRegistrationManager;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.BrokerRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Fences the registration a {@code kill -9} left behind, before {@link EmbeddedKafka}'s node starts again, so that
 * its broker registers at once instead of after {@code broker.session.timeout.ms} (docs/foundation.md "Restart after
 * a crash").
 *
 * <p>Why: the restarted controller gives every broker registered unfenced in the metadata log a fresh session, and
 * refuses a new incarnation of that broker id ({@code DUPLICATE_BROKER_REGISTRATION}) until the session expires: 9 s
 * (the default session) plus up to one 2 s registration retry, for a broker that is known dead. A clean stop fences
 * the broker first (controlled shutdown) and is not affected.
 *
 * <p>How: when the log directory has no {@code .kafka_cleanshutdown} marker (written by a clean stop, deleted when
 * the broker loads its logs), the node is first started as a controller only, with a {@link #SESSION} session and no
 * broker. The dead incarnation's session expires after it and the controller fences it with the very records the
 * real session's expiry would write; the controller is then stopped and the combined node started as usual, its
 * broker no longer blocked. The node's own broker never runs with the short session. Bounded by {@code bound}; any
 * failure is logged and the start goes on (the broker then waits out the old session as before).
 */
public final class DeadIncarnation {

  /** The controller-only pass's broker session: the dead incarnation is fenced this long after activation. */
  static final Duration SESSION = Duration.ofMillis(200);
  /** Written by the broker's log manager on a clean stop, deleted once it loaded its logs (Kafka's own name). */
  static final String CLEAN_SHUTDOWN_MARKER = ".kafka_cleanshutdown";
  /** What the log says once the previous registration is fenced (read by {@code RestartTimeline}). */
  public static final String FENCED_LINE = "Previous broker registration fenced";
  private static final Logger LOG = LoggerFactory.getLogger(DeadIncarnation.class);

  /** What the pass did. */
  enum Outcome {
    /** A first start or a clean stop: nothing to fence, no pass. */
    NOT_NEEDED,
    /** The pass ran; the previous incarnation is fenced (or was not registered unfenced). */
    FENCED,
    /** The pass failed or timed out; the broker waits out the old session. */
    FAILED
  }

  private DeadIncarnation() {}

  /** True when {@code logDir} holds a node that did not stop cleanly (formatted, no clean-shutdown marker). */
  static boolean uncleanStop(final Path logDir) {
    return Files.exists(logDir.resolve("meta.properties"))
        && !Files.exists(logDir.resolve(CLEAN_SHUTDOWN_MARKER));
  }

  /**
   * Runs the controller-only pass on {@code logDir} (its controller on {@code controllerPort}) and returns once the
   * node's broker registration is fenced or absent ({@link Outcome#FENCED}), or {@link Outcome#FAILED} after {@code
   * bound} (counted from the call; the server's own start is bounded by Kafka) or on any error, which is logged.
   */
  static Outcome fence(final Path logDir, final int controllerPort, final Map<String, String> overrides,
      final Duration bound) {
    final long t0 = System.nanoTime();
    KafkaRaftServer server = null;
    try {
      final Properties props = SingleNodeKRaft.controllerOnly(logDir, controllerPort, overrides);
      props.put("broker.session.timeout.ms", String.valueOf(SESSION.toMillis()));
      props.put("broker.heartbeat.interval.ms", String.valueOf(SESSION.toMillis() / 2));
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      final ControllerServer controller = controller(server);
      final long deadline = t0 + bound.toNanos();
      while (System.nanoTime() < deadline) {
        if (controller.controller().isActive() && controller.metadataCache() != null && caughtUp(controller)) {
          final BrokerRegistration registration =
              controller.metadataCache().currentImage().cluster().broker(SingleNodeKRaft.NODE_ID);
          if (registration == null || registration.fenced()) {
            LOG.info("{} after {} ms of a controller-only start (the previous run did not stop cleanly; the broker "
                + "need not wait for its old session)", FENCED_LINE, (System.nanoTime() - t0) / 1_000_000);
            awaitOwnRegistration(controller, deadline);
            return Outcome.FENCED;
          }
        }
        Thread.sleep(20);
      }
      LOG.warn("The previous broker registration is still unfenced after {}; the broker waits for its session",
          bound);
      return Outcome.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.FAILED;
    } catch (RuntimeException | ReflectiveOperationException e) {
      LOG.warn("Could not fence the previous broker registration ({}); the broker waits for its session", e.toString());
      return Outcome.FAILED;
    } finally {
      if (server != null) {
        try {
          server.shutdown();
          server.awaitShutdown();
        } catch (RuntimeException e) {
          LOG.warn("Error while stopping the controller-only pass", e);
        }
      }
    }
  }

  /**
   * Whether the controller's image holds the whole log as it was at this start: its own registration, written
   * after activation, is in it (records apply in order). Before that an image still loading shows no registration
   * (or an old fenced one) for a broker that the log has registered unfenced: read as fenced, the pass stopped
   * at once, and the broker, refused as a duplicate, gave up after its registration timeout (EmbeddedKafkaRestartTest
   * failed so in a CI run of session 32, "fenced after 129 ms", under a 200 ms session).
   */
  private static boolean caughtUp(final ControllerServer controller) {
    final ControllerRegistrationManager registration = controller.registrationManager();
    return registration != null && registration.registeredInLog();
  }

  /**
   * Waits (until {@code deadline}) for the controller's registration of itself to be in the log and no longer in
   * flight: stopped with that request pending, the controller logs it as an unexpected error.
   */
  private static void awaitOwnRegistration(final ControllerServer controller, final long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      if (caughtUp(controller) && !controller.registrationManager().pendingRpc()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  /** The server's controller: {@link KafkaRaftServer} keeps it in a private field (Kafka 4.3). */
  private static ControllerServer controller(final KafkaRaftServer server) throws ReflectiveOperationException {
    final Field field = KafkaRaftServer.class.getDeclaredField("controller");
    field.setAccessible(true);
    final Option<?> controller = (Option<?>) field.get(server);
    if (controller.isEmpty()) {
      throw new IllegalStateException("no controller in a controller-only server");
    }
    return (ControllerServer) controller.get();
  }
}
