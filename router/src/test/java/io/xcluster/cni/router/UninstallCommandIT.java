package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xcluster-cni uninstall} removes this instance's routes, and only those, from a kernel. */
@KernelTest
class UninstallCommandIT {

  @Test
  void removesTheRoutesOfItsProtocolAndNothingElse(@TempDir Path tmp) throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create("uninstall")) {
      ns.addVethPair("v0", "v1", "192.168.9.1/24");
      ns.ip("route", "add", "10.1.0.0/24", "via", "192.168.9.2", "proto", "202");
      ns.ip("route", "add", "10.2.0.0/24", "via", "192.168.9.3", "proto", "202");
      ns.ip("route", "add", "10.3.0.0/24", "via", "192.168.9.4", "proto", "210");
      ns.ip("route", "add", "10.4.0.0/24", "via", "192.168.9.5", "proto", "99");
      Path bin = Files.createDirectories(tmp.resolve("bin"));
      Path net = Files.createDirectories(tmp.resolve("net.d"));

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl =
          new CommandLine(
              new UninstallCommand(
                  (protocol, table) -> NetlinkRouteTable.open(protocol, table, false, ns.path())));
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int rc = cl.execute("--cni-bin-dir=" + bin, "--cni-conf-dir=" + net, "--protocol=202");

      assertThat(rc).as(err.toString()).isZero();
      String left = ns.ip("-4", "route", "show");
      assertThat(left).doesNotContain("10.1.0.0/24").doesNotContain("10.2.0.0/24");
      assertThat(left).contains("10.3.0.0/24").contains("10.4.0.0/24");
      assertThat(left).contains("192.168.9.0/24 dev v0");
    }
  }
}
