package io.xcluster.cni.ipam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host-local stand-in: answers VERSION with {@link #versions}, ADD with a result in the requested
 * version, everything else with nothing; records every call; can fail the next call.
 */
final class FakePluginExecutor implements PluginExecutor {
  record Call(Path plugin, Map<String, String> env, Map<String, Object> config) {
    String command() {
      return env.get("CNI_COMMAND");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> ipam() {
      return (Map<String, Object>) config.get("ipam");
    }
  }

  final List<Call> calls = new ArrayList<>();
  List<String> versions = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0");
  CniException failNext;
  long sleepMillis;

  @Override
  public synchronized byte[] exec(Path plugin, Map<String, String> env, byte[] stdin)
      throws CniException {
    Map<String, Object> config;
    try {
      config = Json.parseObject(new String(stdin, StandardCharsets.UTF_8));
    } catch (Json.ParseException e) {
      throw new AssertionError("kube-node sent host-local bad JSON", e);
    }
    calls.add(new Call(plugin, new HashMap<>(env), config));
    if (sleepMillis > 0) {
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String command = env.get("CNI_COMMAND");
    if ("VERSION".equals(command)) {
      return Json.write(Map.of("cniVersion", "1.0.0", "supportedVersions", versions))
          .getBytes(StandardCharsets.UTF_8);
    }
    if (failNext != null) {
      CniException e = failNext;
      failNext = null;
      throw e;
    }
    if ("ADD".equals(command)) {
      String v = (String) config.get("cniVersion");
      String version = v.startsWith("0.") ? "\"version\":\"4\"," : "";
      return ("{\"cniVersion\":\""
              + v
              + "\",\"ips\":[{"
              + version
              + "\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.1\"}],\"dns\":{}}")
          .getBytes(StandardCharsets.UTF_8);
    }
    return new byte[0];
  }

  List<Call> commands(String command) {
    return calls.stream().filter(c -> command.equals(c.command())).toList();
  }

  Call last() {
    return calls.getLast();
  }
}
