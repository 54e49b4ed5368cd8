package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What runs on one node of the rig, started the way the DaemonSet starts it: the installer lays out
 * the CNI pieces in the node's own directories, one router per network runs inside the node's
 * namespace, and pods are added through the installed plugins.
 */
public final class NodeAgent {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Rig rig;
  private final RigNode node;
  private final Path output;
  private final NodeSourceMode source;
  private final Path cniBin;
  private final Path cniConf;
  private final Map<Network, Process> routers = new java.util.HashMap<>();

  public NodeAgent(Rig rig, RigNode node, Path output, NodeSourceMode source) throws IOException {
    this.rig = rig;
    this.node = node;
    this.output = output;
    this.source = source;
    this.cniBin = Files.createDirectories(node.dir().resolve("opt/cni/bin"));
    this.cniConf = Files.createDirectories(node.dir().resolve("etc/cni/net.d"));
  }

  public RigNode node() {
    return node;
  }

  private String xclusterCni() {
    return output.resolve("bin/xcluster-cni").toString();
  }

  /** The init container's work: kube-node, host-local, bridge, the conf and a kubeconfig. */
  public String install() {
    List<String> cmd = new ArrayList<>(List.of(xclusterCni(), "install"));
    cmd.addAll(
        List.of(
            "--node-name", node.name(),
            "--cni-bin-dir", cniBin.toString(),
            "--cni-conf-dir", cniConf.toString(),
            "--node-address", node.eth0v4(),
            "--kube-node-bundle", output.resolve("kube-node").toString(),
            "--plugins-dir", "/usr/lib/cni"));
    return node.ns().exec(cmd.toArray(String[]::new));
  }

  /** Starts the router of a network inside the node; its output goes to the node's log dir. */
  public Process startRouter(Network network) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            node.ns()
                .command(
                    xclusterCni(),
                    "daemon",
                    "--node-name",
                    node.name(),
                    "--protocol",
                    String.valueOf(network.protocol()),
                    "--metrics-address",
                    node.eth0v4() + ":" + network.metricsPort()));
    cmd.addAll(network.routerFlags());
    cmd.addAll(source.routerArgs(node));
    Path log = node.dir().resolve("router-" + network.name() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("LOG_LEVEL", "debug");
    Process p = rig.track(pb.start());
    routers.put(network, p);
    return p;
  }

  public Process router(Network network) {
    return routers.get(network);
  }

  /** Whether the router of a network answers /readyz with 200. */
  public boolean ready(Network network) {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://" + node.eth0v4() + ":" + network.metricsPort() + "/readyz"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code xcluster-cni <args>} inside the node, with the node source's flags. */
  public String xclusterCni(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(xclusterCni()));
    cmd.addAll(List.of(args));
    cmd.addAll(source.routerArgs(node));
    return node.ns().exec(cmd.toArray(String[]::new));
  }

  /** A pod with eth0 on the main network and net3 on the secondary one. */
  public Pod addPod(String name, String net3Config) throws IOException {
    NetworkNamespace ns = rig.track(NetworkNamespace.create("p" + node.index() + name));
    CniRuntime runtime = new CniRuntime(node, cniBin, Map.of("NODE_NAME", node.name()));
    String id = node.name() + "-" + name;
    List<String> main =
        runtime
            .exec("ADD", mainConfig(), id, ns.path().toString(), "eth0")
            .orThrow("ADD " + id + " eth0")
            .ips();
    List<String> net3 =
        runtime
            .exec("ADD", ipamFor(net3Config), id, ns.path().toString(), "net3")
            .orThrow("ADD " + id + " net3")
            .ips();
    return new Pod(name, node, ns, main, net3);
  }

  /** The conf the installer wrote, pointed at the rig's node source and this node's state dir. */
  private String mainConfig() throws IOException {
    return ipamFor(Files.readString(cniConf.resolve("10-xcluster-cni.conf")));
  }

  private String ipamFor(String config) throws IOException {
    ObjectNode conf = (ObjectNode) JSON.readTree(config);
    ObjectNode ipam = conf.with("ipam");
    String net = conf.path("name").asText();
    ipam.put("dataDir", node.dir().resolve("run/ipam/" + net).toString());
    Path kubeconfig = Path.of(ipam.path("kubeconfig").asText(""));
    source.ipamFields(node, kubeconfig).forEach(ipam::put);
    return JSON.writeValueAsString(conf);
  }
}
