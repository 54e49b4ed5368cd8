package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installer finds the MTU of the interface carrying the node's address, in a network namespace
 * where that interface has MTU 9000 and another one 1280. The installer runs as a child process
 * inside the namespace, the way the init container runs in the host's.
 */
@KernelTest
class MtuInNamespaceIT {
  static NetworkNamespace ns;

  @TempDir Path tmp;

  @BeforeAll
  static void namespace() {
    ns = NetworkNamespace.create("mtu");
    ns.ip(
        "link", "add", "jumbo0", "mtu", "9000", "type", "veth", "peer", "name", "small0", "mtu",
        "1280");
    ns.ip("addr", "add", "10.199.0.1/24", "dev", "jumbo0");
    ns.ip("addr", "add", "fd00:199::1/64", "dev", "jumbo0", "nodad");
    ns.ip("addr", "add", "10.198.0.1/24", "dev", "small0");
    ns.ip("link", "set", "jumbo0", "up");
    ns.ip("link", "set", "small0", "up");
  }

  @AfterAll
  static void close() {
    if (ns != null) {
      ns.close();
    }
  }

  private int installedMtu(String nodeAddresses) throws Exception {
    Path run = Files.createTempDirectory(tmp, "run");
    Path bin = Files.createDirectories(run.resolve("bin"));
    Path net = Files.createDirectories(run.resolve("net.d"));
    Path sa = InstallFixtures.serviceAccount(run, InstallFixtures.token("pod"));
    List<String> args =
        new ArrayList<>(
            ChildInstall.command(
                List.of(
                    "install",
                    "--cni-bin-dir=" + bin,
                    "--cni-conf-dir=" + net,
                    "--service-account-dir=" + sa,
                    "--api-server=https://10.96.0.1:443",
                    "--node-name=node-1",
                    "--node-address=" + nodeAddresses,
                    "--kube-node-bundle=",
                    "--plugins-dir=")));
    Path log = run.resolve("install.log");
    Process p = ChildInstall.start(ns.command(args.toArray(String[]::new)), log);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    return new ObjectMapper()
        .readTree(net.resolve("10-xcluster-cni.conf").toFile())
        .get("mtu")
        .asInt();
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void theInterfaceHoldingTheAddressGivesTheMtu() throws Exception {
    assertThat(installedMtu("10.199.0.1")).isEqualTo(9000);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void anIpv6NodeAddressAndAnAddressInTheSubnetFindTheSameInterface() throws Exception {
    assertThat(installedMtu("fd00:199::1")).isEqualTo(9000);
    assertThat(installedMtu("10.198.0.77")).isEqualTo(1280);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void anAddressNoInterfaceCarriesFallsBackTo1500() throws Exception {
    assertThat(installedMtu("192.0.2.1")).isEqualTo(1500);
  }
}
