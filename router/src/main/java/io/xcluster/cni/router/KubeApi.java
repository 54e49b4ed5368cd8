package io.xcluster.cni.router;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Kubernetes API client of the router's commands: {@code --kubeconfig} when given, else
 * client-java's standard search (KUBECONFIG, ~/.kube/config, in-cluster). Reads never time out, so
 * watches can stay open.
 */
final class KubeApi {
  private KubeApi() {}

  // FOLLOW-UP(merge): use io.xcluster.cni.router.kube.KubeClients from branch router-api.
  static ApiClient client(Optional<Path> kubeconfig) throws IOException {
    ApiClient client;
    if (kubeconfig.isPresent()) {
      Path file = kubeconfig.get();
      try (Reader reader = Files.newBufferedReader(file)) {
        KubeConfig config = KubeConfig.loadKubeConfig(reader);
        config.setFile(file.toFile());
        client = ClientBuilder.kubeconfig(config).build();
      }
    } else {
      client = ClientBuilder.standard().build();
    }
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    return client;
  }
}
