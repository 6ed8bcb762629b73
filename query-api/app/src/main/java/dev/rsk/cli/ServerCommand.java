package dev.rsk.cli;

import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rsk server --config F}: one stats-aggregator + query-api instance against an existing Kafka and
 * schema registry (see docs/api.md for the keys). Runs until interrupted; exit code 1 on a bad config.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run the stats aggregator and the HTTP query API against an existing Kafka and registry.")
public final class ServerCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "Properties file (rsk.*, kafka.* keys; see docs/api.md).")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    final ServerConfig serverConfig;
    final StatsServer server;
    try {
      serverConfig = new ServerConfig(ConfigFile.load(config), System.getenv());
      server = StatsServer.start(serverConfig);
    } catch (IllegalArgumentException | org.apache.kafka.common.config.ConfigException e) {
      spec.commandLine().getErr().println("rsk server: invalid configuration: " + e.getMessage());
      return 1;
    }
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "rsk-server-shutdown"));
    System.out.println("rsk server: API on " + server.url() + " (port " + server.httpPort() + "), Ctrl-C stops");
    stopped.await();
    return 0;
  }
}
