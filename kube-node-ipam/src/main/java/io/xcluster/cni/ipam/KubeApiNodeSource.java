package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nodes from the API server through client-java: one {@code GET /api/v1/nodes/NAME}, or one list
 * for the machine-id match. Only a cache miss creates this class, so the warm path never loads
 * client-java.
 *
 * <p>The Node comes back as JSON decoded by the plugin's own {@link Json} into the few fields it
 * needs: client-java's model classes and its Gson setup cost more start time than the whole rest of
 * a cold ADD (see {@link KubeApiClient}).
 */
final class KubeApiNodeSource implements NodeSource {
  private final String kubeconfig;
  private KubeApiClient client;

  KubeApiNodeSource(String kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  private KubeApiClient client() throws IOException {
    if (client == null) {
      client = KubeApiClient.open(kubeconfig);
    }
    return client;
  }

  @Override
  public Optional<NodeFields> get(String name) throws IOException {
    KubeApiClient.Reply reply = client().get(List.of("api", "v1", "nodes", name));
    if (reply.code() == 404) {
      return Optional.empty();
    }
    return Optional.of(NodeObjects.fields(object(reply, "GET node " + name)));
  }

  @Override
  public Optional<NodeFields> findByMachineId(String machineId) throws IOException {
    KubeApiClient.Reply reply = client().get(List.of("api", "v1", "nodes"));
    Map<String, Object> list = object(reply, "LIST nodes");
    if (list.get("items") instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> node && machineId.equals(NodeObjects.machineId(node))) {
          return Optional.of(NodeObjects.fields(node));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "the API server" + (kubeconfig != null ? " (kubeconfig " + kubeconfig + ")" : "");
  }

  /** The JSON object of a successful reply. */
  private static Map<String, Object> object(KubeApiClient.Reply reply, String what)
      throws IOException {
    if (reply.code() != 200) {
      throw new IOException(what + ": HTTP " + reply.code() + " " + reply.body());
    }
    try {
      return Json.parseObject(reply.body());
    } catch (Json.ParseException e) {
      throw new IOException(what + ": the answer is not a JSON object: " + e.getMessage(), e);
    }
  }
}
