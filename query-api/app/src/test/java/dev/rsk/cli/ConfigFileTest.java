package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A configuration file that cannot be read is one line saying why and the command's bad-configuration exit code
 * (server 1, processor 2), never a stack trace; no broker is contacted.
 */
class ConfigFileTest {

  @TempDir Path dir;

  @Test
  void aReadableFileIsReadAsUtf8Properties() throws Exception {
    final Path f = Files.writeString(dir.resolve("ok.properties"), "a = 1\nname = caf\u00e9\n", StandardCharsets.UTF_8);
    assertThat(ConfigFile.load(f)).containsEntry("a", "1").containsEntry("name", "caf\u00e9");
  }

  @Test
  void eachUnreadableFileSaysWhy() throws Exception {
    assertThatThrownBy(() -> ConfigFile.load(dir.resolve("missing.properties")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the configuration file " + dir.resolve("missing.properties") + " does not exist");
    assertThatThrownBy(() -> ConfigFile.load(dir)).hasMessage("the configuration file " + dir + " is a directory");
    final Path latin1 = Files.write(dir.resolve("latin1.properties"), new byte[] {'a', '=', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> ConfigFile.load(latin1))
        .hasMessage("the configuration file " + latin1 + " is not UTF-8 text");
    final Path escape = Files.writeString(dir.resolve("escape.properties"), "a = \\u00zz\n");
    assertThatThrownBy(() -> ConfigFile.load(escape))
        .hasMessageStartingWith("the configuration file " + escape + " cannot be read: Malformed \\uxxxx encoding");
  }

  @Test
  void theServerAndTheProcessorPrintOneLineAndTheirExitCode() throws Exception {
    final Path missing = dir.resolve("missing.properties");
    assertThat(run(new ServerCommand(), "--config", missing.toString())).isEqualTo(
        "1 rsk server: invalid configuration: the configuration file " + missing + " does not exist\n");
    assertThat(run(new ProcessorCommand(), "--config", missing.toString())).isEqualTo(
        "2 rsk processor: bad configuration: the configuration file " + missing + " does not exist\n");
    final Path empty = Files.writeString(dir.resolve("empty.properties"), "");
    assertThat(run(new ServerCommand(), "--config", empty.toString()))
        .startsWith("1 rsk server: invalid configuration: Missing required configuration \"schema.registry.url\"");
  }

  /** The exit code, a space, then what the command wrote to its error stream. */
  private static String run(final Object command, final String... args) {
    final StringWriter err = new StringWriter();
    final CommandLine cl = new CommandLine(command).setErr(new PrintWriter(err, true));
    final int code = cl.execute(args);
    return code + " " + err.toString().replace(System.lineSeparator(), "\n");
  }
}
