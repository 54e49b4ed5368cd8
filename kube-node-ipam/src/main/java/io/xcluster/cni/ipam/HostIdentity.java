package io.xcluster.cni.ipam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the host says about itself, for finding its own Node; a seam for tests. */
public interface HostIdentity {
  /** The host name, or null when unknown. */
  String hostname();

  /** The machine-id, or null when unknown. */
  String machineId();

  /** Reads {@code /proc/sys/kernel/hostname} and {@code /etc/machine-id}. */
  static HostIdentity system() {
    return new HostIdentity() {
      @Override
      public String hostname() {
        return firstLine(Path.of("/proc/sys/kernel/hostname"));
      }

      @Override
      public String machineId() {
        return firstLine(Path.of("/etc/machine-id"));
      }
    };
  }

  /** The first non-empty line of a file, stripped, or null. */
  static String firstLine(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          return line.strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unknown, then.
    }
    return null;
  }
}
