package dev.rsk.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Sends the logs of an interactive command ({@code rsk demo}, {@code rsk standalone}) to a file, so the console
 * shows the progress line and the answers: every log event goes to the file (appended), and the console
 * appenders keep only WARN and above. Applied to the running log4j configuration; nothing else changes.
 */
final class LogFile {

  private static final String APPENDER = "rsk-log-file";

  private LogFile() {}

  /**
   * Redirects the logs to {@code file} (parent directories created) and returns its absolute path.
   *
   * @throws UncheckedIOException if the directory cannot be created
   */
  static Path redirect(final Path file) {
    final Path path = file.toAbsolutePath();
    try {
      Files.createDirectories(path.getParent());
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot create the log directory " + path.getParent(), e);
    }
    final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    final Configuration config = context.getConfiguration();
    if (config.getAppender(APPENDER) != null) { // already redirected in this JVM (tests run commands twice)
      return path;
    }
    final Appender appender = FileAppender.newBuilder().setName(APPENDER).withFileName(path.toString())
        .withAppend(true).setConfiguration(config)
        .setLayout(PatternLayout.newBuilder().withConfiguration(config)
            .withPattern("%d{ISO8601} %-5level [%t] %c{1.} - %msg%n").build())
        .build();
    appender.start();
    config.addAppender(appender);
    final LoggerConfig root = config.getRootLogger();
    for (final LoggerConfig logger : loggers(config)) {
      for (final Map.Entry<String, Appender> e : new ArrayList<>(logger.getAppenders().entrySet())) {
        if (e.getValue() instanceof ConsoleAppender) {
          final Level level = refLevel(logger, e.getKey());
          logger.removeAppender(e.getKey());
          // WARN at least; a stricter level configured for this reference (log4j2.xml) is kept.
          logger.addAppender(e.getValue(), level != null && level.isMoreSpecificThan(Level.WARN) ? level
              : Level.WARN, null);
        }
      }
      // Additive loggers reach the root's appenders; adding the file to them too would write twice.
      if (logger == root || !logger.isAdditive()) {
        logger.addAppender(appender, null, null);
      }
    }
    context.updateLoggers();
    return path;
  }

  private static Level refLevel(final LoggerConfig logger, final String appender) {
    return logger.getAppenderRefs().stream().filter(r -> r.getRef().equals(appender)).map(AppenderRef::getLevel)
        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  private static java.util.List<LoggerConfig> loggers(final Configuration config) {
    final java.util.List<LoggerConfig> all = new ArrayList<>(config.getLoggers().values());
    if (!all.contains(config.getRootLogger())) {
      all.add(config.getRootLogger());
    }
    return all;
  }
}
