package dev.rsk.demo;

import java.util.List;

/**
 * One answered question: what the API said, what the simulator's truth is, the tolerance within which they must
 * agree (stated, with why), and whether they do.
 *
 * @param question the question in words
 * @param answer the API's answer in one line
 * @param truth the simulator's ground truth in one line
 * @param tolerance the stated tolerance in words
 * @param passed whether the answer agrees with the truth within the tolerance
 * @param details extra lines (tables) printed under the answer
 */
public record Check(String question, String answer, String truth, String tolerance, boolean passed,
    List<String> details) {

  public Check {
    details = List.copyOf(details);
  }
}
