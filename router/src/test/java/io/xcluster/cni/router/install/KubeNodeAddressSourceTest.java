package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.xcluster.cni.annotations.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The installer's one Node GET, against a fake API server on 127.0.0.1. */
class KubeNodeAddressSourceTest {
  private static final String NODE =
      """
      {"apiVersion": "v1", "kind": "Node",
       "metadata": {"name": "node-1", "annotations": {
         "adr.example.com/net3": "192.168.3.1, fd00:3::1",
         "adr.example.com/bad": "192.168.3.1,not-an-address"}},
       "spec": {"podCIDRs": ["10.244.1.0/24"]},
       "status": {"addresses": [
         {"type": "Hostname", "address": "node-1"},
         {"type": "InternalIP", "address": "192.168.1.1"},
         {"type": "InternalIP", "address": "fd00::1:1"}]}}
      """;

  HttpServer server;
  ApiClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/nodes/",
        exchange -> {
          boolean known = exchange.getRequestURI().getPath().equals("/api/v1/nodes/node-1");
          byte[] body =
              (known ? NODE : "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(known ? 200 : 404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    client =
        new ClientBuilder()
            .setBasePath("http://127.0.0.1:" + server.getAddress().getPort())
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void internalIpsWithoutAnAnnotation() throws IOException {
    assertThat(new KubeNodeAddressSource(client, Optional.empty()).addresses("node-1"))
        .containsExactly(IpLiteral.parse("192.168.1.1"), IpLiteral.parse("fd00::1:1"));
  }

  @Test
  void theAddressAnnotationWinsOverInternalIps() throws IOException {
    assertThat(
            new KubeNodeAddressSource(client, Optional.of("adr.example.com/net3"))
                .addresses("node-1"))
        .containsExactly(IpLiteral.parse("192.168.3.1"), IpLiteral.parse("fd00:3::1"));
  }

  @Test
  void aBadAnnotationOrAMissingNodeIsAnIoErrorThatSaysWhy() {
    assertThatThrownBy(
            () ->
                new KubeNodeAddressSource(client, Optional.of("adr.example.com/bad"))
                    .addresses("node-1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("node-1")
        .hasMessageContaining("adr.example.com/bad");
    assertThatThrownBy(
            () -> new KubeNodeAddressSource(client, Optional.empty()).addresses("node-9"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("node-9")
        .hasMessageContaining("404");
  }
}
