package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcluster.cni.testing.FileTrees;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./build.sh demo}: a 3-node cluster on this machine, shown to a person. Routes on each
 * node, a ping matrix between pods (IPv4 and IPv6, main and secondary network), an annotation
 * changed live with the route following it, and {@code xcluster-cni plan} on a node. Then it
 * removes everything it made.
 */
public final class DemoMain {
  private static final PrintStream OUT = System.out;

  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
    NetworkNamespace sw = NetworkNamespace.existing(args[0]);
    Path output = repo.resolve("_output");
    Path work = Files.createTempDirectory("xcni-demo-");
    long start = System.nanoTime();
    try (Rig rig = new Rig(sw, 3, work);
        NodesFileMode source = new NodesFileMode(work.resolve("nodes.json"))) {
      step("A switch and 3 nodes, each a network namespace");
      for (RigNode n : rig.nodes()) {
        OUT.printf(
            "  %s  eth0 %s %s   eth1 %s %s   pods %s %s%n",
            n.name(), n.eth0v4(), n.eth0v6(), n.eth1v4(), n.eth1v6(), n.podCidrV4(), n.podCidrV6());
      }

      step("Install the CNI pieces, start 2 routers per node (main: proto 202, net3: proto 210)");
      List<ObjectNode> nodes = new ArrayList<>();
      rig.nodes().forEach(n -> nodes.add(NodeObjects.node(n, Map.of())));
      source.publish(nodes);
      List<NodeAgent> agents = new ArrayList<>();
      for (RigNode n : rig.nodes()) {
        NodeAgent agent = new NodeAgent(rig, n, output, source);
        agent.install();
        agent.startRouter(Network.MAIN);
        agent.startRouter(Network.NET3);
        agents.add(agent);
      }
      Checks.await(
          "routers ready",
          Duration.ofSeconds(30),
          () -> agents.stream().allMatch(a -> a.ready(Network.MAIN) && a.ready(Network.NET3)));
      OUT.println("  " + agents.size() * 2 + " routers ready");

      step("One pod per node: eth0 from kube-node (spec.podCIDRs), net3 from the annotation");
      String net3 = Manifests.nadConfig(repo);
      List<Pod> pods = new ArrayList<>();
      for (NodeAgent agent : agents) {
        Pod pod = agent.addPod("a", net3);
        pods.add(pod);
        OUT.printf(
            "  pod on %s: eth0 %s   net3 %s%n",
            pod.node().name(), String.join(" ", pod.mainIps()), String.join(" ", pod.net3Ips()));
      }

      step("The routes each node's routers installed (ip route show proto 202 / 210)");
      Checks.await(
          "routes",
          Duration.ofSeconds(30),
          () ->
              rig.nodes().stream()
                  .allMatch(
                      n ->
                          KernelRoutes.owned(n.ns(), 210).size() == 4
                              && KernelRoutes.owned(n.ns(), 202).size() == 4));
      for (RigNode n : rig.nodes()) {
        OUT.println("  " + n.name() + ":");
        for (int proto : new int[] {202, 210}) {
          for (String r : KernelRoutes.owned(n.ns(), proto)) {
            OUT.println("    " + r + " proto " + proto);
          }
        }
      }

      step("Ping matrix: every pod to every pod on the other nodes");
      OUT.printf(
          "  %-10s %-22s %-12s %-12s %-12s %-12s%n",
          "from", "to", "main v4", "main v6", "net3 v4", "net3 v6");
      for (Pod from : pods) {
        for (Pod to : pods) {
          if (from.node() != to.node()) {
            OUT.printf(
                "  %-10s %-22s %-12s %-12s %-12s %-12s%n",
                from.node().name(),
                "pod on " + to.node().name(),
                mark(from.ping(to.mainIp(false))),
                mark(from.ping(to.mainIp(true))),
                mark(from.ping(to.net3Ip(false))),
                mark(from.ping(to.net3Ip(true))));
          }
        }
      }

      RigNode n3 = rig.node(3);
      step(
          "Change node-3's net3 CIDR live (in a cluster: kubectl annotate node "
              + n3.name()
              + " --overwrite "
              + NodeObjects.NET3_CIDR
              + "=172.20.33.0/24,"
              + n3.net3CidrV6()
              + "; here the routers read a nodes file, rewritten)");
      source.annotate(n3.name(), NodeObjects.NET3_CIDR, "172.20.33.0/24," + n3.net3CidrV6());
      Duration took =
          Checks.await(
              "route follows",
              Duration.ofSeconds(30),
              () ->
                  KernelRoutes.owned(rig.node(1).ns(), 210)
                      .contains("172.20.33.0/24 via " + n3.eth1v4()));
      OUT.printf(
          "  node-1 now routes 172.20.33.0/24 via %s (after %d ms):%n",
          n3.eth1v4(), took.toMillis());
      for (String r : KernelRoutes.owned(rig.node(1).ns(), 210)) {
        OUT.println("    " + r + " proto 210");
      }

      step("xcluster-cni plan on node-1 (a dry run: desired routes, changes, problems)");
      OUT.println(indent(agents.getFirst().xclusterCni("plan", "--node-name", rig.node(1).name())));
      step("Cleaning up: every namespace and process goes away");
    }
    FileTrees.delete(work);
    OUT.printf("demo done in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private static String mark(boolean ok) {
    return ok ? "ok" : "NO ANSWER";
  }

  private static void step(String title) {
    OUT.println();
    OUT.println("==> " + title);
  }

  private static String indent(String text) {
    return ("  " + text.strip()).replace("\n", "\n  ");
  }
}
