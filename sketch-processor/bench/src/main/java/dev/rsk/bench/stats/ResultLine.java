package dev.rsk.bench.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.bench.stats.StatsBenchmark.Result;

/**
 * What a contender's child JVM ({@code --jvm-per-contender true}) tells its parent on stdout, among its progress
 * lines: {@link #STREAMS_START} when its measured run's Streams client starts, {@link #MEASURE_START} and
 * {@link #MEASURE_END} when it takes its first and its last CPU samples (the parent samples its own CPU, the
 * broker's, at the same moments; from the client's start if the window never opened, as the child's own figures
 * then are), and its {@link Result} as one line, {@link #PREFIX} and
 * the result in JSON ({@code NaN} as the string {@code "NaN"}, Jackson's default, read back as NaN).
 */
final class ResultLine {

  static final String PREFIX = "RESULT ";
  static final String STREAMS_START = "STREAMS-START";
  static final String MEASURE_START = "MEASURE-START";
  static final String MEASURE_END = "MEASURE-END";

  private ResultLine() {}

  /** The line announcing {@code r}. */
  static String encode(final Result r) {
    try {
      return PREFIX + new ObjectMapper().writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + r + " as JSON", e);
    }
  }

  /** The result {@code line} announces; {@link IllegalArgumentException} if it is not a result line. */
  static Result decode(final String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a result line (no '" + PREFIX + "'): " + line);
    }
    try {
      return new ObjectMapper().readValue(line.substring(PREFIX.length()), Result.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a result line: " + line, e);
    }
  }
}
