package io.xcluster.cni.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.Map;

/**
 * Node objects for tests and benchmarks, as JSON. Node {@code index} (0 to 65 535) gets:
 *
 * <ul>
 *   <li>InternalIP {@link #internalIpv4(int)} = the (I+1)-th address of {@code 172.16.0.0/12} and
 *       {@link #internalIpv6(int)} = {@code fd00:192:168::I+1} (hex), Hostname = the name;
 *   <li>{@code spec.podCIDRs} = [{@link #podCidrV4(int)} = {@code 10.H.L.0/24}, {@link
 *       #podCidrV6(int)} = {@code fd00:10:244:I::/64}] (I in hex, H and L its high and low byte),
 *       and {@code spec.podCIDR} the first of them.
 * </ul>
 *
 * {@link #realistic} adds what a kubelet reports on a busy node (36 images, conditions, capacity,
 * nodeInfo, managed fields): about 13 KB of JSON, the size that decides an informer's memory.
 */
public final class FakeNodes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IMAGES = 36;
  private static final String CREATED = "2025-06-01T08:00:00Z";
  private static final String HEARTBEAT = "2025-06-02T10:15:30Z";

  private FakeNodes() {}

  public static String internalIpv4(int index) {
    check(index);
    int v = index + 1;
    return "172." + (16 + (v >> 16)) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }

  public static String internalIpv6(int index) {
    check(index);
    return "fd00:192:168::" + Integer.toHexString(index + 1);
  }

  public static String podCidrV4(int index) {
    check(index);
    return "10." + (index >> 8) + "." + (index & 255) + ".0/24";
  }

  public static String podCidrV6(int index) {
    check(index);
    return "fd00:10:244:" + Integer.toHexString(index) + "::/64";
  }

  /** A minimal Node: name, hostname label, pod CIDRs and addresses. */
  public static String small(String name, int index) {
    return small(name, index, Map.of());
  }

  /** {@link #small(String, int)} with annotations. */
  public static String small(String name, int index, Map<String, String> annotations) {
    return write(base(name, index, annotations));
  }

  /** A Node as a kubelet on a busy node reports it, about 13 KB. */
  public static String realistic(String name, int index) {
    return realistic(name, index, Map.of());
  }

  /** {@link #realistic(String, int)} with annotations added to the kubelet's own. */
  public static String realistic(String name, int index, Map<String, String> annotations) {
    ObjectNode node = base(name, index, annotations);
    ObjectNode metadata = (ObjectNode) node.get("metadata");
    ObjectNode labels = (ObjectNode) metadata.get("labels");
    labels
        .put("beta.kubernetes.io/arch", "amd64")
        .put("beta.kubernetes.io/os", "linux")
        .put("kubernetes.io/arch", "amd64")
        .put("kubernetes.io/os", "linux")
        .put("node.kubernetes.io/instance-type", "m5.2xlarge")
        .put("topology.kubernetes.io/region", "eu-north-1")
        .put("topology.kubernetes.io/zone", "eu-north-1" + "abc".charAt(index % 3))
        .put("node-role.kubernetes.io/worker", "");
    ObjectNode kubeletAnnotations = (ObjectNode) metadata.get("annotations");
    kubeletAnnotations
        .put("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///run/containerd/containerd.sock")
        .put("node.alpha.kubernetes.io/ttl", "0")
        .put("volumes.kubernetes.io/controller-managed-attach-detach", "true")
        .put(
            "csi.volume.kubernetes.io/nodeid",
            "{\"ebs.csi.aws.com\":\"i-0" + hex(index, 16) + "\"}");
    metadata.put("uid", "6f1c2d3e-" + hex(index, 4) + "-4a5b-8c9d-" + hex(index, 12));
    metadata.put("creationTimestamp", CREATED);
    managedFields(metadata.putArray("managedFields"));

    ObjectNode spec = (ObjectNode) node.get("spec");
    spec.put("providerID", "aws:///eu-north-1a/i-0" + hex(index, 16));

    ObjectNode status = (ObjectNode) node.get("status");
    ObjectNode capacity =
        status
            .putObject("capacity")
            .put("cpu", "8")
            .put("ephemeral-storage", "203070420Ki")
            .put("hugepages-1Gi", "0")
            .put("hugepages-2Mi", "0")
            .put("memory", "32329232Ki")
            .put("pods", "110");
    status.set("allocatable", capacity.deepCopy().put("memory", "32226832Ki"));
    ArrayNode conditions = status.putArray("conditions");
    condition(
        conditions,
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available");
    condition(
        conditions,
        "DiskPressure",
        "False",
        "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure");
    condition(
        conditions,
        "PIDPressure",
        "False",
        "KubeletHasSufficientPID",
        "kubelet has sufficient PID available");
    condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status");
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
    ArrayNode images = status.putArray("images");
    for (int i = 0; i < IMAGES; i++) {
      ObjectNode image = images.addObject();
      String repo = "registry.example.com/team-" + (i % 7) + "/service-" + i;
      image
          .putArray("names")
          .add(repo + "@sha256:" + hex(index * (long) IMAGES + i, 64))
          .add(repo + ":v1." + i + "." + (index % 10));
      image.put("sizeBytes", 20_000_000L + i * 1_234_567L);
    }
    status
        .putObject("nodeInfo")
        .put("machineID", hex(index, 32))
        .put("systemUUID", "ec2" + hex(index, 5) + "-1111-2222-3333-" + hex(index, 12))
        .put("bootID", "b00710d0-" + hex(index, 4) + "-4000-8000-" + hex(index, 12))
        .put("kernelVersion", "6.12.0-1-cloud-amd64")
        .put("osImage", "Debian GNU/Linux 13 (trixie)")
        .put("containerRuntimeVersion", "containerd://2.1.4")
        .put("kubeletVersion", "v1.34.0")
        .put("kubeProxyVersion", "v1.34.0")
        .put("operatingSystem", "linux")
        .put("architecture", "amd64");
    return write(node);
  }

  private static ObjectNode base(String name, int index, Map<String, String> annotations) {
    check(index);
    ObjectNode node = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
    ObjectNode metadata = node.putObject("metadata").put("name", name);
    metadata.putObject("labels").put("kubernetes.io/hostname", name);
    ObjectNode annotationsNode = metadata.putObject("annotations");
    annotations.forEach(annotationsNode::put);
    ObjectNode spec = node.putObject("spec").put("podCIDR", podCidrV4(index));
    spec.putArray("podCIDRs").add(podCidrV4(index)).add(podCidrV6(index));
    ArrayNode addresses = node.putObject("status").putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", internalIpv4(index));
    addresses.addObject().put("type", "InternalIP").put("address", internalIpv6(index));
    addresses.addObject().put("type", "Hostname").put("address", name);
    return node;
  }

  private static void condition(
      ArrayNode conditions, String type, String value, String reason, String message) {
    conditions
        .addObject()
        .put("type", type)
        .put("status", value)
        .put("lastHeartbeatTime", HEARTBEAT)
        .put("lastTransitionTime", CREATED)
        .put("reason", reason)
        .put("message", message);
  }

  private static void managedFields(ArrayNode managed) {
    String[][] managers = {
      {
        "kubeadm",
        "Update",
        "f:metadata",
        "f:annotations",
        "f:kubeadm.alpha.kubernetes.io/cri-socket"
      },
      {"kube-controller-manager", "Update", "f:spec", "f:podCIDRs", "f:podCIDR"},
      {"kubelet", "Update", "f:status", "f:conditions", "f:images"},
      {"kubelet", "Update", "f:metadata", "f:labels", "f:kubernetes.io/hostname"},
    };
    for (String[] m : managers) {
      ObjectNode entry =
          managed
              .addObject()
              .put("manager", m[0])
              .put("operation", m[1])
              .put("apiVersion", "v1")
              .put("time", HEARTBEAT)
              .put("fieldsType", "FieldsV1");
      ObjectNode fields = entry.putObject("fieldsV1").putObject(m[2]);
      ObjectNode inner = fields.putObject(m[3]);
      inner.putObject(".");
      for (int i = 0; i < 6; i++) {
        ObjectNode k = inner.putObject("k:{\"type\":\"" + m[4] + "-" + i + "\"}");
        k.putObject(".");
        k.putObject("f:lastHeartbeatTime");
        k.putObject("f:message");
      }
    }
  }

  private static String hex(long value, int digits) {
    String hex = HexFormat.of().toHexDigits(value);
    StringBuilder s = new StringBuilder();
    while (s.length() < digits) {
      s.append(hex);
    }
    return s.substring(s.length() - digits);
  }

  private static void check(int index) {
    if (index < 0 || index > 65_535) {
      throw new IllegalArgumentException("node index " + index + " is not in 0..65535");
    }
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
