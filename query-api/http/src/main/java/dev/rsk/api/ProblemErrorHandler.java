package dev.rsk.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's answer to a request it rejects before any route sees it (an unparseable or ambiguous URI such
 * as {@code %00} in a path: 400; a URI over the header buffer: 414; headers too large: 431), as
 * {@code application/problem+json} like every other error of the API instead of Jetty's HTML page.
 * Found by {@code OpenApiFuzzTest}.
 */
final class ProblemErrorHandler extends ErrorHandler {

  @Override
  public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
    final String title = HttpStatus.getMessage(status);
    final String detail = "the request was rejected before routing: " + title
        + (reason == null || reason.isBlank() || reason.equals(title) ? "" : " (" + reason + ")");
    fields.put(HttpHeader.CONTENT_TYPE, HttpErrors.PROBLEM_JSON);
    final String body = "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status
        + ",\"detail\":" + quote(detail) + "}";
    return ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON string literal (the texts are Jetty's reason phrases: ASCII, but escape anyway). */
  private static String quote(final String s) {
    final StringBuilder sb = new StringBuilder("\"");
    for (final char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
