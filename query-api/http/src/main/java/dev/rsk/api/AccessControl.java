package dev.rsk.api;

import dev.rsk.api.internal.InternalRoutes;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * Checks a request's credentials against {@link HttpSecurity}: a bearer token on {@code /v1} routes, the
 * cluster secret on {@code /internal} routes. Comparisons are constant-time: the SHA-256 of what was sent
 * is compared with {@link MessageDigest#isEqual} to the digest of every accepted value (no early exit, and
 * equal-length digests, so neither the position of a mismatch nor a token's length shows in the timing).
 * A missing or wrong credential is a 401 problem (with {@code WWW-Authenticate: Bearer} on {@code /v1}).
 */
final class AccessControl {

  private static final String BEARER = "Bearer ";

  private final List<byte[]> tokens;
  private final byte[] secret;

  AccessControl(final HttpSecurity security) {
    this.tokens = security.tokens().stream().map(AccessControl::sha256).toList();
    this.secret = security.clusterSecret() == null ? null : sha256(security.clusterSecret());
  }

  /** Before a {@code /v1} route: 401 unless tokens are off or the bearer token is one of them. */
  void checkClient(final Context ctx) {
    if (tokens.isEmpty()) {
      return;
    }
    final String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized("missing 'Authorization: Bearer <token>' header");
    }
    final byte[] given = sha256(header.substring(BEARER.length()).trim());
    boolean ok = false;
    for (final byte[] t : tokens) {
      ok |= MessageDigest.isEqual(given, t);
    }
    if (!ok) {
      throw unauthorized("the bearer token is not valid");
    }
  }

  /** Before an {@code /internal} route: 401 unless no secret is set or the request carries it. */
  void checkInstance(final Context ctx) {
    if (secret == null) {
      return;
    }
    final String given = ctx.header(InternalRoutes.SECRET_HEADER);
    if (given == null || !MessageDigest.isEqual(sha256(given), secret)) {
      throw new ApiException(401, "Unauthorized", "instance-to-instance route: the cluster secret header "
          + InternalRoutes.SECRET_HEADER + " is missing or wrong (client tokens are not accepted here)", null, null);
    }
  }

  private static ApiException unauthorized(final String detail) {
    return new ApiException(401, "Unauthorized", detail, null, Map.of());
  }

  private static byte[] sha256(final String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
