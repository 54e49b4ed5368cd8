package io.xcluster.cni.router.install;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The main network's CNI config, {@code 10-xcluster-cni.conf}: the bridge plugin on {@code cbr0}
 * with the node as gateway and default gateway, hairpin mode for services, and kube-node for
 * addresses. kube-node reads its ranges from the Node (spec.podCIDRs, or the CIDR annotation the
 * router also uses) and leaves allocation to host-local in {@code dataDir}, a tmpfs, so allocations
 * do not outlive a reboot.
 *
 * @param name the network name (also the dataDir's last element)
 * @param bridge the bridge device
 * @param mtu the MTU for the bridge and the pods' interfaces
 * @param kubeconfig kube-node's kubeconfig, as the host sees it
 * @param cidrAnnotation the Node annotation with the pod CIDRs, when not spec.podCIDRs
 */
public record MainNetworkConf(
    String name, String bridge, int mtu, Path kubeconfig, Optional<String> cidrAnnotation) {
  public static final String CNI_VERSION = "1.0.0";
  public static final String DEFAULT_NAME = "xcluster";
  public static final String DEFAULT_BRIDGE = "cbr0";
  public static final String DATA_DIR_ROOT = "/run/container-ipam-state";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public MainNetworkConf {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bridge, "bridge");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(cidrAnnotation, "cidrAnnotation");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      // CNI: "Network configuration name ... must contain only alphanumeric characters, hyphens,
      // underscores and periods" and we use it as a directory name.
      throw new IllegalArgumentException("network name \"" + name + "\" is not a valid CNI name");
    }
    if (bridge.isEmpty() || bridge.length() > 15 || !bridge.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("bridge \"" + bridge + "\" is not a link name");
    }
    if (mtu < 576 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " is not in 576..65535");
    }
  }

  /** kube-node's host-local state directory. */
  public String dataDir() {
    return DATA_DIR_ROOT + "/" + name;
  }

  /** The file's bytes: fixed key order and layout, so equal settings give equal bytes. */
  public byte[] bytes() {
    ObjectNode conf = JSON.createObjectNode();
    conf.put("cniVersion", CNI_VERSION);
    conf.put("name", name);
    conf.put("type", "bridge");
    conf.put("bridge", bridge);
    conf.put("isGateway", true);
    conf.put("isDefaultGateway", true);
    conf.put("hairpinMode", true);
    conf.put("mtu", mtu);
    ObjectNode ipam = conf.putObject("ipam");
    ipam.put("type", "kube-node");
    ipam.put("kubeconfig", kubeconfig.toString());
    ipam.put("dataDir", dataDir());
    cidrAnnotation.ifPresent(a -> ipam.put("annotation", a));
    try {
      return (JSON.writeValueAsString(conf) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
