package dev.rsk.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The Kafka settings that make the standalone stack ready soon after a {@code kill -9} (docs/foundation.md
 * "Restart after a crash"). Static membership: each Streams application gets a {@code group.instance.id}
 * kept in {@code <dataDir>/instance.id}, so the restarted process takes its old place in the consumer group
 * at once instead of waiting for the dead member's session to time out (that wait was 42 s of the 63 s
 * measured). A shorter session timeout (10 s instead of 45 s) bounds the wait when the id cannot help
 * (e.g. a member that left a rebalance half done).
 */
public final class FastRestart {

  /** Session timeout of the standalone consumers, in ms. */
  public static final int SESSION_TIMEOUT_MS = 10_000;
  static final String FILE = "instance.id";

  private FastRestart() {}

  /**
   * The Kafka keys (without the {@code kafka.} prefix) of one Streams application of the stack.
   *
   * @param role distinguishes the applications of one stack ({@code processor}, {@code stats})
   */
  public static Map<String, String> kafka(final Path dataDir, final String role) {
    return Map.of("group.instance.id", instanceId(dataDir) + "-" + role,
        "session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));
  }

  /** The id of this data directory, created on first use and kept (a restart must find the same one). */
  static synchronized String instanceId(final Path dataDir) {
    final Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        final String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (id.matches("[A-Za-z0-9._-]{1,100}")) {
          return id;
        }
      }
      Files.createDirectories(dataDir);
      final String id = "rsk-" + UUID.randomUUID();
      final Path tmp = Files.writeString(dataDir.resolve(FILE + ".tmp"), id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the instance id in " + file, e);
    }
  }
}
