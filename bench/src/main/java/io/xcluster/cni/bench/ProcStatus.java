package io.xcluster.cni.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory lines of {@code /proc/PID/status} ({@code VmRSS: 123456 kB}), in bytes.
 *
 * @param bytes field name (e.g. {@code VmRSS}, {@code VmHWM}, {@code RssAnon}) to bytes
 */
record ProcStatus(Map<String, Long> bytes) {

  ProcStatus {
    bytes = Map.copyOf(bytes);
  }

  static ProcStatus read(long pid) throws IOException {
    return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
  }

  /** Keeps the lines whose value is a number of kB; ignores all others. */
  static ProcStatus parse(String status) {
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (String line : status.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String[] value = line.substring(colon + 1).strip().split("\\s+");
      if (value.length == 2 && value[1].equals("kB") && value[0].matches("\\d+")) {
        bytes.put(line.substring(0, colon), Long.parseLong(value[0]) * 1024);
      }
    }
    return new ProcStatus(bytes);
  }

  /** The resident set: what the process has in RAM now. */
  long rss() {
    return get("VmRSS");
  }

  /** The resident set's high-water mark: its peak so far. */
  long hwm() {
    return get("VmHWM");
  }

  long get(String field) {
    Long b = bytes.get(field);
    if (b == null) {
      throw new IllegalArgumentException("no " + field + " in /proc/PID/status");
    }
    return b;
  }
}
