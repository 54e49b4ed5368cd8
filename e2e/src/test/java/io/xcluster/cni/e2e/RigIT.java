package io.xcluster.cni.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rig itself, with the real bridge and host-local plugins but routes written by hand: pods on
 * different nodes reach each other exactly when the routes are there. This is what makes the e2e's
 * ping checks able to fail.
 */
@KernelTest
class RigIT {
  private static final Path CNI = Path.of("/usr/lib/cni");

  @Test
  void podsReachEachOtherOnlyOverRoutes(@TempDir Path work) throws Exception {
    try (NetworkNamespace sw = NetworkNamespace.create("sw");
        Rig rig = new Rig(sw, 2, work)) {
      Pod a = pod(rig, rig.node(1), "a");
      Pod b = pod(rig, rig.node(2), "b");
      assertThat(a.mainIp(false)).startsWith("10.244.1.");
      assertThat(b.mainIp(true)).startsWith("fd00:244:2::");

      assertThat(a.ping(b.mainIp(false))).as("no route yet").isFalse();

      route(rig.node(1), rig.node(2));
      route(rig.node(2), rig.node(1));
      assertThat(a.ping(b.mainIp(false))).isTrue();
      assertThat(a.ping(b.mainIp(true))).isTrue();
      assertThat(b.ping(a.mainIp(false))).isTrue();
      assertThat(b.ping(a.mainIp(true))).isTrue();
    }
    assertThat(NetworkNamespace.run(List.of("ip", "netns", "list"))).doesNotContain("xcni-n1-");
  }

  private static void route(RigNode from, RigNode to) {
    from.ns().ip("route", "add", to.podCidrV4(), "via", to.eth0v4(), "proto", "202");
    from.ns().ip("-6", "route", "add", to.podCidrV6(), "via", to.eth0v6(), "proto", "202");
  }

  private static Pod pod(Rig rig, RigNode node, String name) throws Exception {
    NetworkNamespace ns = rig.track(NetworkNamespace.create("p" + node.index() + name));
    Path data = Files.createDirectories(node.dir().resolve("ipam"));
    String conf =
        """
        {"cniVersion":"1.0.0","name":"xcluster","type":"bridge","bridge":"cbr0",
         "isGateway":true,"isDefaultGateway":true,"hairpinMode":true,
         "ipam":{"type":"host-local","dataDir":"%s",
                 "ranges":[[{"subnet":"%s"}],[{"subnet":"%s"}]]}}
        """
            .formatted(data, node.podCidrV4(), node.podCidrV6());
    CniRuntime.Outcome added =
        new CniRuntime(node, CNI, Map.of())
            .exec("ADD", conf, name, ns.path().toString(), "eth0")
            .orThrow("ADD " + name);
    return new Pod(name, node, ns, added.ips(), List.of());
  }
}
