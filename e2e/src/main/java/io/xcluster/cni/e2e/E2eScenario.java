package io.xcluster.cni.e2e;

import static io.xcluster.cni.e2e.Checks.await;
import static io.xcluster.cni.e2e.Checks.require;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The multi-node end-to-end checks: routes installed by the routers, addresses allocated by
 * kube-node through the real bridge and host-local plugins, pings between pods, and the failures a
 * node lives through (router killed, link flap, route deleted, node gone, broken annotation).
 *
 * <p>Convergence waits are bounded generously ({@link #CONVERGE}) so a slow machine does not fail
 * them; the times they took are printed (the benchmarks measure them properly).
 */
public final class E2eScenario {
  static final Duration CONVERGE = Duration.ofSeconds(10);
  private static final Set<Integer> OURS = Set.of(Network.MAIN.protocol(), Network.NET3.protocol());

  private final Rig rig;
  private final Path output;
  private final NodeSourceMode source;
  private final Path repo;
  private final PrintStream out;
  private final List<NodeAgent> agents = new ArrayList<>();
  private final List<Pod> pods = new ArrayList<>();
  private final Map<String, List<String>> foreignBefore = new HashMap<>();

  /** Nodes taken out of the source: no peer should route to them any more. */
  private final Set<String> removed = new HashSet<>();

  public E2eScenario(Rig rig, Path output, NodeSourceMode source, Path repo, PrintStream out) {
    this.rig = rig;
    this.output = output;
    this.source = source;
    this.repo = repo;
    this.out = out;
  }

  /** Runs every check; returns the checks with their outcomes. */
  public Checks run() {
    Checks checks = new Checks(out);
    if (!checks.check("cluster comes up", this::bringUp)) {
      return checks;
    }
    checks.check("routes on every node, both networks, right gateways", this::allRoutesPresent);
    checks.check("pods reach pods on other nodes over IPv4 and IPv6", this::mainPingMatrix);
    checks.check("secondary-network addresses are reachable across nodes", this::net3Reachable);
    checks.check("routers changed nothing but their own routes", this::foreignRoutesUntouched);
    checks.check("kill -9 of a router loses no ping, restart keeps routes", this::routerRestart);
    checks.check("link flap: routes back and pings resume", this::linkFlap);
    checks.check("ip route del of an owned route: restored", this::routeDeleted);
    checks.check("a route of another protocol survives", this::foreignRouteSurvives);
    checks.check("annotation changed live: the route follows", this::annotationFollows);
    checks.check("broken annotation: reported, other nodes unaffected", this::brokenAnnotation);
    checks.check("node removed: its routes gone on every peer", this::nodeRemoved);
    return checks;
  }

  private void bringUp() throws Exception {
    List<ObjectNode> nodes = new ArrayList<>();
    for (RigNode n : rig.nodes()) {
      nodes.add(NodeObjects.node(n, Map.of()));
      foreignBefore.put(n.name(), KernelRoutes.allBut(n.ns(), OURS));
    }
    source.publish(nodes);
    for (RigNode n : rig.nodes()) {
      NodeAgent agent = new NodeAgent(rig, n, output, source);
      agent.install();
      agents.add(agent);
    }
    for (NodeAgent agent : agents) {
      agent.startRouter(Network.MAIN);
      agent.startRouter(Network.NET3);
    }
    String net3 = Files.readString(net3Config());
    for (NodeAgent agent : agents) {
      pods.add(agent.addPod("a", net3));
    }
    Duration ready =
        await(
            "every router ready",
            CONVERGE,
            () -> agents.stream().allMatch(a -> a.ready(Network.MAIN) && a.ready(Network.NET3)));
    out.printf("      all %d routers ready after %d ms%n", agents.size() * 2, ready.toMillis());
  }

  /** The NAD example's CNI config, as Multus would hand it to the bridge plugin. */
  private Path net3Config() throws IOException {
    Path conf = rig.workDir().resolve("net3.conf");
    Files.writeString(conf, Manifests.nadConfig(repo));
    return conf;
  }

  private Set<String> expected(RigNode self, Network network) {
    Set<String> want = new HashSet<>();
    for (RigNode peer : rig.nodes()) {
      if (peer != self && !removed.contains(peer.name())) {
        want.addAll(network.expectedRoutes(peer));
      }
    }
    return want;
  }

  private boolean converged(RigNode n, Network network) {
    return KernelRoutes.owned(n.ns(), network.protocol()).equals(expected(n, network));
  }

  private void allRoutesPresent() throws Exception {
    Duration took =
        await(
            "routes",
            CONVERGE,
            () ->
                rig.nodes().stream()
                    .allMatch(n -> converged(n, Network.MAIN) && converged(n, Network.NET3)));
    for (RigNode n : rig.nodes()) {
      out.printf(
          "      %s proto 202: %s%n      %s proto 210: %s%n",
          n.name(), KernelRoutes.owned(n.ns(), 202), n.name(), KernelRoutes.owned(n.ns(), 210));
    }
    out.printf("      converged after %d ms%n", took.toMillis());
  }

  private void mainPingMatrix() {
    List<String> failures = new ArrayList<>();
    for (Pod from : pods) {
      for (Pod to : pods) {
        if (from.node() == to.node()) {
          continue;
        }
        for (boolean v6 : new boolean[] {false, true}) {
          if (!from.ping(to.mainIp(v6))) {
            failures.add(from.name() + "@" + from.node().name() + " -> " + to.mainIp(v6));
          }
        }
      }
    }
    require(failures.isEmpty(), "no answer: " + failures);
  }

  private void net3Reachable() {
    List<String> failures = new ArrayList<>();
    for (Pod from : pods) {
      for (Pod to : pods) {
        if (from.node() == to.node()) {
          continue;
        }
        for (boolean v6 : new boolean[] {false, true}) {
          if (!from.ping(to.net3Ip(v6))) {
            failures.add(from.node().name() + " pod -> " + to.net3Ip(v6));
          }
          // The NAD's routes keep net3 traffic on net3 (not out of eth0 with the eth0 address).
          String path = from.ns().ip("route", "get", to.net3Ip(v6));
          if (!path.contains("dev net3")) {
            failures.add(from.node().name() + " pod reaches " + to.net3Ip(v6) + " by " + path);
          }
        }
      }
      // The node itself reaches remote secondary addresses too (the original's e2e check).
      for (Pod to : pods) {
        if (to.node() != from.node()) {
          try {
            from.node().ns().exec("ping", "-c1", "-W1", "-n", "-q", to.net3Ip(false));
          } catch (IllegalStateException e) {
            failures.add(from.node().name() + " -> " + to.net3Ip(false));
          }
        }
      }
    }
    require(failures.isEmpty(), "no answer: " + failures);
  }

  /**
   * Every route on the node's own links (lo, eth0, eth1) is as it was before the routers started,
   * except the routers' own. Routes on the bridges and pod veths belong to the CNI plugins.
   */
  private void foreignRoutesUntouched() {
    for (RigNode n : rig.nodes()) {
      List<String> now = onNodeLinks(KernelRoutes.allBut(n.ns(), OURS));
      List<String> before = onNodeLinks(foreignBefore.get(n.name()));
      List<String> added = now.stream().filter(r -> !before.contains(r)).toList();
      List<String> lost = before.stream().filter(r -> !now.contains(r)).toList();
      require(added.isEmpty() && lost.isEmpty(), n.name() + ": added " + added + ", lost " + lost);
    }
  }

  private static List<String> onNodeLinks(List<String> routes) {
    return routes.stream()
        .filter(r -> r.matches(".*\"dev\":\"(lo|eth0|eth1)\".*") || !r.contains("\"dev\""))
        .toList();
  }

  private void routerRestart() throws Exception {
    NodeAgent agent = agents.getFirst();
    Pod target = pods.getFirst();
    Pod pinger = pods.get(1);
    // 60 pings over 3 s to a pod on the node whose router is killed and restarted meanwhile.
    Process ping =
        new ProcessBuilder(
                pinger
                    .ns()
                    .command(
                        "ping",
                        "-c",
                        "60",
                        "-i",
                        "0.05",
                        "-W",
                        "1",
                        "-n",
                        "-q",
                        target.mainIp(false)))
            .redirectErrorStream(true)
            .start();
    Thread.sleep(300);
    Set<String> before = KernelRoutes.owned(agent.node().ns(), 202);
    agent.router(Network.MAIN).destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    require(
        KernelRoutes.owned(agent.node().ns(), 202).equals(before),
        "routes changed when the router died");
    agent.startRouter(Network.MAIN);
    await("restarted router ready", CONVERGE, () -> agent.ready(Network.MAIN));
    require(
        KernelRoutes.owned(agent.node().ns(), 202).equals(before),
        "the restarted router changed routes");
    String result = new String(ping.getInputStream().readAllBytes());
    require(ping.waitFor(30, TimeUnit.SECONDS), "ping did not end");
    require(result.contains(" 0% packet loss"), "pings lost: " + result.strip());
  }

  private void linkFlap() throws Exception {
    RigNode n = rig.node(2);
    n.ns().ip("link", "set", "eth0", "down");
    require(
        KernelRoutes.owned(n.ns(), 202).isEmpty(),
        "the kernel should have dropped routes via eth0");
    n.ns().ip("link", "set", "eth0", "up");
    Duration took = await("routes back", CONVERGE, () -> converged(n, Network.MAIN));
    out.printf("      routes back %d ms after link up%n", took.toMillis());
    await(
        "pings resume",
        CONVERGE,
        () ->
            pods.get(1).ping(pods.get(0).mainIp(false))
                && pods.get(1).ping(pods.get(0).mainIp(true)));
  }

  private void routeDeleted() throws Exception {
    RigNode n = rig.node(1);
    RigNode peer = rig.node(3);
    n.ns().ip("route", "del", peer.podCidrV4(), "proto", "202");
    Duration took = await("route restored", CONVERGE, () -> converged(n, Network.MAIN));
    out.printf("      restored after %d ms%n", took.toMillis());
  }

  private void foreignRouteSurvives() throws Exception {
    RigNode n = rig.node(1);
    n.ns().ip("route", "add", "10.99.0.0/24", "via", "192.168.1.254", "proto", "99");
    // Same destination as an owned route but another table: never ours either.
    n.ns()
        .ip(
            "route",
            "add",
            rig.node(2).podCidrV4(),
            "via",
            "192.168.1.254",
            "proto",
            "202",
            "table",
            "100");
    // A resync cycle: make the router look again by deleting one of its routes.
    n.ns().ip("route", "del", rig.node(2).podCidrV4(), "proto", "202", "table", "main");
    await("route restored", CONVERGE, () -> converged(n, Network.MAIN));
    require(
        n.ns().ip("route", "show", "proto", "99").contains("10.99.0.0/24"),
        "the proto 99 route is gone");
    require(
        n.ns().ip("route", "show", "table", "100").contains(rig.node(2).podCidrV4()),
        "the table 100 route is gone");
  }

  private void annotationFollows() throws Exception {
    RigNode n3 = rig.node(3);
    String moved = "172.20.33.0/24," + n3.net3CidrV6();
    source.annotate(n3.name(), NodeObjects.NET3_CIDR, moved);
    Duration took =
        await(
            "route follows the annotation",
            CONVERGE,
            () -> {
              Set<String> r = KernelRoutes.owned(rig.node(1).ns(), 210);
              return r.contains("172.20.33.0/24 via " + n3.eth1v4())
                  && !r.contains(n3.net3CidrV4() + " via " + n3.eth1v4());
            });
    out.printf("      172.20.33.0/24 via %s on node-1 after %d ms%n", n3.eth1v4(), took.toMillis());
    source.annotate(n3.name(), NodeObjects.NET3_CIDR, n3.net3CidrV4() + "," + n3.net3CidrV6());
    await("back", CONVERGE, () -> converged(rig.node(1), Network.NET3));
  }

  private void brokenAnnotation() throws Exception {
    RigNode n2 = rig.node(2);
    Set<String> before = KernelRoutes.owned(rig.node(1).ns(), 210);
    source.annotate(n2.name(), NodeObjects.NET3_CIDR, "172.20.2.0/33");
    String nodes =
        agents
            .getFirst()
            .xclusterCni(
                "nodes",
                "--cidr-annotation",
                NodeObjects.NET3_CIDR,
                "--address-annotation",
                NodeObjects.NET3_ADDRESS);
    require(
        nodes.contains(n2.name()) && nodes.contains("prefix length 33 exceeds 32"),
        "xcluster-cni nodes does not show the problem:\n" + nodes);
    // Give the routers a full resync's chance to do something wrong, then look.
    Thread.sleep(1500);
    for (RigNode n : rig.nodes()) {
      if (n != n2) {
        require(converged(n, Network.MAIN), n.name() + ": main routes disturbed");
      }
    }
    require(
        KernelRoutes.owned(rig.node(1).ns(), 210).equals(before),
        "node-1 net3 routes changed: bad input must lose nothing");
    source.annotate(n2.name(), NodeObjects.NET3_CIDR, n2.net3CidrV4() + "," + n2.net3CidrV6());
  }

  private void nodeRemoved() throws Exception {
    RigNode gone = rig.node(3);
    source.remove(gone.name());
    removed.add(gone.name());
    Duration took =
        await(
            "routes to the removed node gone",
            CONVERGE,
            () ->
                rig.nodes().stream()
                    .filter(n -> n != gone)
                    .allMatch(n -> converged(n, Network.MAIN) && converged(n, Network.NET3)));
    out.printf("      gone on every peer after %d ms%n", took.toMillis());
  }
}
