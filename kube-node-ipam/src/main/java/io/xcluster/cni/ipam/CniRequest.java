package io.xcluster.cni.ipam;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * One invocation as the runtime made it: the CNI_* environment and the network configuration from
 * stdin. Read through an injected {@code getenv}, like skel's dispatcher, so tests need no process.
 *
 * @param command CNI_COMMAND: ADD, DEL, CHECK, GC, STATUS or VERSION
 * @param containerId CNI_CONTAINERID, or null
 * @param netns CNI_NETNS, or null
 * @param ifname CNI_IFNAME, or null
 * @param args CNI_ARGS, or null
 * @param path CNI_PATH, or null
 * @param config the network configuration; empty for a VERSION call without stdin
 */
public record CniRequest(
    String command,
    String containerId,
    String netns,
    String ifname,
    String args,
    String path,
    Map<String, Object> config) {

  /**
   * Reads the request.
   *
   * @throws CniException code 4 for a missing variable the command needs, 6 for stdin that is not a
   *     JSON object
   */
  public static CniRequest read(Function<String, String> getenv, byte[] stdin) throws CniException {
    String command = emptyToNull(getenv.apply("CNI_COMMAND"));
    if (command == null) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
    }
    Map<String, Object> config;
    String text = new String(stdin, StandardCharsets.UTF_8);
    if ("VERSION".equals(command) && text.isBlank()) {
      config = Map.of();
    } else {
      try {
        config = Json.parseObject(text);
      } catch (Json.ParseException e) {
        throw new CniException(
            CniException.DECODING_FAILURE,
            "the network configuration on stdin is not a JSON object",
            e.getMessage());
      }
    }
    CniRequest r =
        new CniRequest(
            command,
            emptyToNull(getenv.apply("CNI_CONTAINERID")),
            emptyToNull(getenv.apply("CNI_NETNS")),
            emptyToNull(getenv.apply("CNI_IFNAME")),
            emptyToNull(getenv.apply("CNI_ARGS")),
            emptyToNull(getenv.apply("CNI_PATH")),
            config);
    r.checkEnvironment();
    return r;
  }

  private void checkEnvironment() throws CniException {
    switch (command) {
      case "ADD", "CHECK" -> {
        require("CNI_CONTAINERID", containerId, "CNI_IFNAME", ifname);
        require("CNI_NETNS", netns, "CNI_NETNS", netns);
      }
      case "DEL" -> require("CNI_CONTAINERID", containerId, "CNI_IFNAME", ifname);
      case "GC", "STATUS", "VERSION" -> {}
      default ->
          throw new CniException(
              CniException.INVALID_ENVIRONMENT,
              "unknown CNI_COMMAND \"" + command + "\"",
              "expected ADD, DEL, CHECK, GC, STATUS or VERSION");
    }
    if (!"VERSION".equals(command) && path == null) {
      throw new CniException(
          CniException.INVALID_ENVIRONMENT, "CNI_PATH is not set", "host-local is looked up on it");
    }
  }

  private static void require(String n1, String v1, String n2, String v2) throws CniException {
    if (v1 == null) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, n1 + " is not set");
    }
    if (v2 == null) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, n2 + " is not set");
    }
  }

  /** A value from CNI_ARGS ({@code K8S_POD_NAMESPACE=default;K8S_POD_NAME=x}), or null. */
  public String arg(String key) {
    if (args == null) {
      return null;
    }
    for (String pair : args.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(key)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }

  /** The configuration's cniVersion; "0.1.0" when absent, as libcni reads it. */
  public String cniVersion() {
    Object v = config.get("cniVersion");
    return v instanceof String s && !s.isEmpty() ? s : "0.1.0";
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
