package io.xcluster.cni.ipam;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nodes from the API server through client-java: one {@code GET /api/v1/nodes/NAME}, or one list
 * for the machine-id match. Only a cache miss creates this class, so the warm path never loads
 * client-java.
 */
final class KubeApiNodeSource implements NodeSource {
  private static final int TIMEOUT_MILLIS = 5_000;

  private final String kubeconfig;
  private CoreV1Api api;

  KubeApiNodeSource(String kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  private CoreV1Api api() throws IOException {
    if (api == null) {
      ApiClient client;
      if (kubeconfig != null) {
        Path path = Path.of(kubeconfig);
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
          KubeConfig config = KubeConfig.loadKubeConfig(r);
          config.setFile(path.toFile());
          client = ClientBuilder.kubeconfig(config).build();
        } catch (java.nio.file.NoSuchFileException e) {
          throw new IOException("the kubeconfig " + kubeconfig + " does not exist", e);
        } catch (RuntimeException e) {
          throw new IOException("cannot use kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
      } else {
        client = ClientBuilder.standard().build();
      }
      client.setConnectTimeout(TIMEOUT_MILLIS);
      client.setReadTimeout(TIMEOUT_MILLIS);
      api = new CoreV1Api(client);
    }
    return api;
  }

  @Override
  public Optional<NodeFields> get(String name) throws IOException {
    try {
      return Optional.of(fields(api().readNode(name).execute()));
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw failure("GET node " + name, e);
    }
  }

  @Override
  public Optional<NodeFields> findByMachineId(String machineId) throws IOException {
    try {
      for (V1Node node : api().listNode().execute().getItems()) {
        if (node.getStatus() != null
            && node.getStatus().getNodeInfo() != null
            && machineId.equals(node.getStatus().getNodeInfo().getMachineID())) {
          return Optional.of(fields(node));
        }
      }
      return Optional.empty();
    } catch (ApiException e) {
      throw failure("LIST nodes", e);
    }
  }

  @Override
  public String describe() {
    return "the API server" + (kubeconfig != null ? " (kubeconfig " + kubeconfig + ")" : "");
  }

  private static IOException failure(String what, ApiException e) {
    String why =
        e.getCode() == 0
            ? String.valueOf(e.getCause() != null ? e.getCause() : e.getMessage())
            : "HTTP " + e.getCode() + " " + e.getResponseBody();
    return new IOException(what + ": " + why, e);
  }

  static NodeFields fields(V1Node node) {
    List<NodeFields.Address> addresses = new ArrayList<>();
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (V1NodeAddress a : node.getStatus().getAddresses()) {
        addresses.add(new NodeFields.Address(a.getType(), a.getAddress()));
      }
    }
    List<String> podCidrs = null;
    if (node.getSpec() != null) {
      podCidrs = node.getSpec().getPodCIDRs();
      if ((podCidrs == null || podCidrs.isEmpty()) && node.getSpec().getPodCIDR() != null) {
        podCidrs = List.of(node.getSpec().getPodCIDR());
      }
    }
    return new NodeFields(
        node.getMetadata() != null ? node.getMetadata().getName() : null,
        node.getMetadata() != null ? node.getMetadata().getAnnotations() : null,
        podCidrs,
        addresses);
  }
}
