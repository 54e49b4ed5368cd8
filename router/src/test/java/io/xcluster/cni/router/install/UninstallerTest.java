package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UninstallerTest {
  @TempDir Path tmp;
  final List<String> log = new ArrayList<>();

  private static Route route(String dst, String via, int protocol) {
    return Route.of(Cidr.parse(dst), IpLiteral.parse(via), protocol, Route.MAIN_TABLE);
  }

  @Test
  void removesOnlyThisProtocolsRoutesAndReportsFailures() throws Exception {
    Route ours1 = route("10.244.1.0/24", "192.168.1.2", 202);
    Route ours2 = route("fd00:244:1::/64", "fd00::2", 202);
    Route stuck = route("10.244.2.0/24", "192.168.1.3", 202);
    Route secondary = route("172.20.1.0/24", "192.168.2.2", 210);
    FakeRouteTable table = new FakeRouteTable(202, Set.of(stuck));
    table.routes.addAll(List.of(ours1, ours2, stuck, secondary));

    var failures = new Uninstaller(log::add).removeRoutes(table);

    assertThat(table.routes).containsExactlyInAnyOrder(stuck, secondary);
    assertThat(failures)
        .singleElement()
        .satisfies(f -> assertThat(f.op().route()).isEqualTo(stuck));
    assertThat(log.getFirst()).isEqualTo("routes of protocol 202: 2 deleted, 1 failed");
  }

  @Test
  void removesThisInstancesFilesAndLeavesPluginsAndOtherInstances() throws Exception {
    InstanceLayout main =
        new InstanceLayout(
            Files.createDirectories(tmp.resolve("bin")),
            Files.createDirectories(tmp.resolve("net.d")),
            Path.of("/etc/cni/net.d"),
            "xcluster-cni");
    InstanceLayout net3 =
        new InstanceLayout(main.binDir(), main.netDir(), main.hostNetDir(), "xcluster-net3");
    Files.createDirectories(main.ownDir());
    Path plugin = Files.writeString(main.binDir().resolve("kube-node"), "x");
    Path other = Files.writeString(main.netDir().resolve("20-other.conflist"), "{}");
    Files.writeString(main.confFile(), "{}");
    Files.writeString(main.kubeconfig(), "main");
    Files.writeString(net3.kubeconfig(), "net3");
    Files.writeString(main.nodeNameFile(), "node-1\n");

    new Uninstaller(log::add).removeFiles(main, true);

    assertThat(main.confFile()).doesNotExist();
    assertThat(main.kubeconfig()).doesNotExist();
    assertThat(net3.kubeconfig()).hasContent("net3");
    assertThat(main.nodeNameFile()).as("net3 still needs it").exists();
    assertThat(plugin).exists();
    assertThat(other).exists();

    new Uninstaller(log::add).removeFiles(net3, false);

    assertThat(net3.kubeconfig()).doesNotExist();
    assertThat(main.nodeNameFile()).doesNotExist();
    assertThat(main.ownDir()).doesNotExist();
    assertThat(plugin).exists();
    assertThat(other).exists();
  }

  @Test
  void aSecondaryInstanceLeavesTheMainConf() throws Exception {
    InstanceLayout net3 =
        new InstanceLayout(
            tmp.resolve("bin"),
            Files.createDirectories(tmp.resolve("net.d")),
            Path.of("/etc/cni/net.d"),
            "xcluster-net3");
    Files.writeString(net3.confFile(), "{}");
    new Uninstaller(log::add).removeFiles(net3, false);
    assertThat(net3.confFile()).exists();
  }
}
