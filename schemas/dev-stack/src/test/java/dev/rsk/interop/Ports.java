package dev.rsk.interop;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports for the "service down" tests. */
final class Ports {
  private Ports() {}

  /** A local port nobody listens on (bound, then released). */
  static int closed() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
