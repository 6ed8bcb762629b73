package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console filters of the production log4j2.xml (rsk demo / standalone): the benign Kafka lines its comment
 * lists stay off the console, and the same kinds of message about rsk's own topics still reach it.
 */
class ConsoleLogFilterTest {

  private static LoggerContext context;
  private static Filter console;

  @BeforeAll
  static void loadTheProductionConfiguration() throws Exception {
    context = new LoggerContext("console-filter-test", null,
        ConsoleLogFilterTest.class.getResource("/log4j2.xml").toURI());
    context.start();
    console = ((ConsoleAppender) context.getConfiguration().getAppender("err")).getFilter();
  }

  @AfterAll
  static void stop() {
    context.stop();
  }

  private static Filter.Result filter(final String logger, final String message) {
    return console.filter(Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(Level.ERROR)
        .setMessage(new SimpleMessage(message)).build());
  }

  @Test
  void theAdminClientsUnknownChangelogRetryStaysOffTheConsole() {
    final String logger = "org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy";
    assertThat(filter(logger, "[AdminClient clientId=rsk-sketch-processor-9514c668-admin] Received unknown topic"
        + " error for topic rsk-sketch-processor-rsk-pending-objects-changelog")).isEqualTo(Filter.Result.DENY);
    assertThat(filter(logger, "[AdminClient clientId=rsk-stats-admin] Received unknown topic error for topic"
        + " rsk-stats-concepts-by-key-repartition")).isEqualTo(Filter.Result.DENY);
    // rsk's own topics missing is a real problem: shown
    assertThat(filter(logger, "[AdminClient clientId=x] Received unknown topic error for topic activations"))
        .isNotEqualTo(Filter.Result.DENY);
    assertThat(filter(logger, "[AdminClient clientId=x] Received unknown topic error for topic sketches-changelogs"))
        .isNotEqualTo(Filter.Result.DENY);
  }

  @Test
  void otherErrorsReachTheConsole() {
    assertThat(filter("dev.rsk.processor.ProcessorRunner", "processor stream thread failed"))
        .isNotEqualTo(Filter.Result.DENY);
    assertThat(filter("org.apache.kafka.clients.NetworkClient", "Connection to node 1 (/10.0.0.7:9092) could not be"
        + " established. Node may not be available.")).isNotEqualTo(Filter.Result.DENY);
  }
}
