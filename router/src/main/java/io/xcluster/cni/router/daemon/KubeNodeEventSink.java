package io.xcluster.cni.router.daemon;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * Posts core/v1 Events about Nodes in the {@code default} namespace, where kubelet posts its own
 * Node Events, so {@code kubectl describe node} shows them.
 */
public final class KubeNodeEventSink implements NodeEventSink {
  static final String NAMESPACE = "default";
  static final String COMPONENT = "xcluster-cni";

  private final Supplier<ApiClient> client;
  private final String host;
  private final Clock clock;

  /**
   * @param client the API client, asked for at the first Event only: a router whose Nodes have no
   *     problem never loads client-java's generated API
   * @param host the Node this router runs on, reported as the Event's source host
   */
  public KubeNodeEventSink(Supplier<ApiClient> client, String host, Clock clock) {
    this.client = client;
    this.host = host;
    this.clock = clock;
  }

  @Override
  public void warn(String node, String reason, String message) throws IOException {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    CoreV1Event event =
        new CoreV1Event()
            .metadata(new V1ObjectMeta().generateName(node + ".").namespace(NAMESPACE))
            // kubelet refers to Nodes by name in the uid field too; kubectl describe node matches
            // it.
            .involvedObject(
                new V1ObjectReference().apiVersion("v1").kind("Node").name(node).uid(node))
            .reason(reason)
            .message(message)
            .type("Warning")
            .source(new V1EventSource().component(COMPONENT).host(host))
            .reportingComponent(COMPONENT)
            .reportingInstance(COMPONENT + "-" + host)
            .firstTimestamp(now)
            .lastTimestamp(now)
            .count(1);
    try {
      new CoreV1Api(client.get()).createNamespacedEvent(NAMESPACE, event).execute();
    } catch (ApiException e) {
      throw new IOException(
          "posting an Event on Node "
              + node
              + " failed: HTTP "
              + e.getCode()
              + " "
              + e.getMessage(),
          e);
    }
  }
}
