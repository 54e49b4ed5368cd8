package io.xcluster.cni.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What a reader needs to judge figures measured on this machine. */
public record Machine(String kernel, int cpus, String cpuModel, String jdk, String date) {

  public static Machine current() {
    return new Machine(
        read("/proc/sys/kernel/osrelease"),
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        System.getProperty("java.vm.vendor") + " " + Runtime.version(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private static String readCpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** One markdown line. */
  public String describe() {
    return "Linux "
        + kernel
        + ", "
        + cpus
        + " CPUs ("
        + cpuModel
        + "), JDK "
        + jdk
        + ", measured "
        + date;
  }
}
