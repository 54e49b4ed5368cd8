package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs CNI plugins the way a container runtime does: the plugin binary named by the config's {@code
 * type}, found in CNI_PATH, executed on the node (here: inside the node's namespace) with the CNI_*
 * variables and the network configuration on stdin.
 */
public final class CniRuntime {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 30;

  private final RigNode node;
  private final Path cniBin;
  private final Map<String, String> extraEnv;

  /**
   * @param cniBin the node's CNI bin directory (CNI_PATH)
   * @param extraEnv the runtime's own environment that plugins inherit, e.g. NODE_NAME
   */
  public CniRuntime(RigNode node, Path cniBin, Map<String, String> extraEnv) {
    this.node = node;
    this.cniBin = cniBin;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /** The outcome of one plugin call: exit code, stdout (result or error JSON), stderr. */
  public record Outcome(int exitCode, String stdout, String stderr) {
    public JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + stdout + " (stderr: " + stderr + ")", e);
      }
    }

    public Outcome orThrow(String what) {
      if (exitCode != 0) {
        throw new IllegalStateException(
            what + " failed (exit " + exitCode + "): " + stdout + " " + stderr.strip());
      }
      return this;
    }

    /** The addresses of a CNI result, without prefix length. */
    public List<String> ips() {
      List<String> ips = new ArrayList<>();
      for (JsonNode ip : json().path("ips")) {
        String cidr = ip.path("address").asText();
        ips.add(cidr.substring(0, cidr.indexOf('/')));
      }
      return ips;
    }
  }

  /** Executes {@code command} (ADD, DEL, CHECK, ...) of the config's plugin for a container. */
  public Outcome exec(
      String command, String config, String containerId, String netnsPath, String ifName) {
    try {
      String type = JSON.readTree(config).path("type").asText();
      List<String> argv = node.ns().command(cniBin.resolve(type).toString());
      ProcessBuilder pb = new ProcessBuilder(argv);
      Map<String, String> env = pb.environment();
      env.putAll(extraEnv);
      env.put("CNI_COMMAND", command);
      env.put("CNI_CONTAINERID", containerId);
      env.put("CNI_NETNS", netnsPath);
      env.put("CNI_IFNAME", ifName);
      env.put("CNI_PATH", cniBin.toString());
      env.put(
          "CNI_ARGS",
          "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME="
              + containerId
              + ";K8S_POD_INFRA_CONTAINER_ID="
              + containerId);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(config.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(type + " " + command + ": timed out");
      }
      return new Outcome(
          p.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("CNI " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("CNI " + command + ": interrupted", e);
    }
  }
}
