package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rsk demo} in a child JVM with {@code RSK_API_TOKENS} in its environment (the only way to give it
 * one): its API then refuses calls without a token, so the demo's answers agreeing with the truth shows
 * that its own client sends one.
 */
@Tag("long") // not in CI: mvn verify -Prsk-long (docs/testing.md)
class DemoWithTokensTest {

  @TempDir Path dir;

  @Test
  void theDemoHonoursRskApiTokensAndItsClientSendsOne() throws Exception {
    final Path log = dir.resolve("demo.log");
    final ChildJvm demo = ChildJvm.rsk(log, Map.of("RSK_API_TOKENS", "demo-token-1,demo-token-2"),
        "demo", "--days", "2", "--exit", "--http-port", "0", "--kafka-port", "0", "--registry-port", "0",
        "--data-dir", dir.resolve("data").toString(), "--timeout", "PT3M");
    try {
      assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("demo still running:\n" + demo.tail(3000)).isTrue();
      final String out = Files.readString(log);
      assertThat(demo.exitValue()).as(demo.tail(3000)).isZero();
      final Matcher m = Pattern.compile("(\\d+) of (\\d+) answers agree with the truth").matcher(out);
      assertThat(m.find()).as(out).isTrue();
      assertThat(m.group(1)).isEqualTo(m.group(2));
      // a refused call shows as "HTTP 401 <title>: ..." (RskClientException); bare digits (a temp dir's random
      // name, a log line's milliseconds "09:12:26.401") are no 401
      assertThat(out).as(out).doesNotContain("HTTP 401");
    } finally {
      demo.close();
      ChildJvm.keepLog(log, "DemoWithTokensTest.log");
    }
  }
}
