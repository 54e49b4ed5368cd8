package io.xcluster.cni.router;

import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.SnapshotNodeSource;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that decide which routes the router owns and wants, shared by {@code daemon}, {@code
 * sync} and {@code plan}. Every option has an environment variable, as the DaemonSet sets them.
 */
final class RouteOptions {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME}",
      paramLabel = "NAME",
      description =
          "This host's Node name; its own CIDRs are never routed. Required. Env: NODE_NAME")
  String nodeName;

  @Option(
      names = "--cidr-annotation",
      defaultValue = "${env:CIDR_ANNOTATION}",
      paramLabel = "KEY",
      description =
          "Node annotation with the pod CIDRs (comma-separated); unset: spec.podCIDRs."
              + " Env: CIDR_ANNOTATION")
  String cidrAnnotation;

  @Option(
      names = "--address-annotation",
      defaultValue = "${env:ADDRESS_ANNOTATION}",
      paramLabel = "KEY",
      description =
          "Node annotation with the next-hop addresses; unset: the InternalIP addresses."
              + " Env: ADDRESS_ANNOTATION")
  String addressAnnotation;

  @Option(
      names = "--protocol",
      defaultValue = "${env:PROTOCOL:-202}",
      paramLabel = "N",
      description =
          "Route protocol number that marks our routes (5..255), one per network."
              + " Default: ${DEFAULT-VALUE}. Env: PROTOCOL")
  int protocol;

  @Option(
      names = "--table",
      defaultValue = "${env:TABLE:-main}",
      paramLabel = "TABLE",
      description = "Routing table: main, or a number. Default: ${DEFAULT-VALUE}. Env: TABLE")
  String table;

  @Option(
      names = "--metric",
      defaultValue = "${env:METRIC}",
      paramLabel = "N",
      description = "Route metric; unset: the kernel's default (IPv4 0, IPv6 1024). Env: METRIC")
  Integer metric;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "kubeconfig for the Kubernetes API; unset: the first file in KUBECONFIG, else"
              + " in-cluster, else ~/.kube/config. Env: KUBECONFIG")
  Path kubeconfig;

  @Option(
      names = "--nodes-file",
      defaultValue = "${env:NODES_FILE}",
      paramLabel = "FILE",
      description =
          "Read the Nodes from this file (kubectl get nodes -o yaml|json) instead of the API;"
              + " it is watched. Env: NODES_FILE")
  Path nodesFile;

  @Option(
      names = "--nexthops",
      defaultValue = "${env:NEXTHOPS:-false}",
      fallbackValue = "true",
      arity = "0..1",
      description =
          "Install routes through kernel nexthop objects (faster with many Nodes)."
              + " Default: ${DEFAULT-VALUE}. Env: NEXTHOPS")
  boolean nexthops;

  /** The own Node's name; refuses to go on without it. */
  String requireNodeName() {
    if (nodeName == null || nodeName.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "The own Node's name is required: set --node-name or NODE_NAME (in a DaemonSet: env"
              + " NODE_NAME from fieldRef spec.nodeName). Without it the router could route this"
              + " node's own pod CIDR away from it.");
    }
    return nodeName.strip();
  }

  /** The protocol number, checked. */
  int protocol() {
    if (protocol < 5 || protocol > 255) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--protocol "
              + protocol
              + " is not usable: 0-4 are the kernel's and iproute2's own (unspec, redirect, kernel,"
              + " boot, static), and the number must fit in 8 bits; use e.g. 202");
    }
    return protocol;
  }

  /** The table id: main, default, local or a number. */
  int table() {
    String t = table == null ? "main" : table.strip().toLowerCase(Locale.ROOT);
    switch (t) {
      case "main":
        return 254;
      case "default":
        return 253;
      case "local":
        return 255;
      default:
        break;
    }
    try {
      long id = Long.parseLong(t);
      if (id >= 1 && id <= 0xffff_ffffL) {
        return (int) id;
      }
    } catch (NumberFormatException e) {
      // fall through to the error
    }
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "--table '"
            + table
            + "' is not a routing table: use main or a number from 1 to 4294967295");
  }

  OptionalInt metric() {
    if (metric == null) {
      return OptionalInt.empty();
    }
    if (metric < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--metric must not be negative");
    }
    return OptionalInt.of(metric);
  }

  NodeProjection projection() {
    try {
      return new NodeProjection(
          new NodeAnnotations(
              Optional.ofNullable(cidrAnnotation), Optional.ofNullable(addressAnnotation)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, null);
    }
  }

  PlannerConfig plannerConfig() {
    return new PlannerConfig(requireNodeName(), protocol(), table(), metric());
  }

  Optional<Path> nodesFile() {
    return Optional.ofNullable(nodesFile);
  }

  Optional<Path> kubeconfig() {
    return Optional.ofNullable(kubeconfig).filter(p -> !p.toString().isBlank());
  }

  /** The Nodes of {@code --nodes-file}, else of the Kubernetes API, read once. */
  SnapshotNodeSource readNodes(NodeProjection projection) throws IOException {
    return NodeInput.read(nodesFile(), kubeconfig(), projection);
  }

  /**
   * The kernel table these options name (protocol, table, nexthop mode), opened by {@code tables}.
   */
  RouteTable openTable(RouteTables.Factory tables) throws IOException {
    return tables.open(protocol(), table(), nexthops);
  }
}
